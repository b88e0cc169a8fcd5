"""Admin dashboard panels: "your job here" for each volunteer, written from their position
descriptions, with links to the screens their roles use; and, for directors, whose term ends
in the next 60 days."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from volunteers.models import DUE_SOON_DAYS, PositionPage, VolunteerRecord
from volunteers.roles import Role
from volunteers.services import noticeboard

# The screens each role uses: (label, URL name).
SCREENS: dict[str, list[tuple[str, str]]] = {
    Role.DIRECTOR: [
        (_("Round cockpit"), "round_cockpit:index"),
        (_("Volunteer records"), "wagtailsnippets_volunteers_volunteerrecord:list"),
        (_("Interest in volunteering"), "wagtailsnippets_volunteers_expressionofinterest:list"),
        (_("Announcements"), "wagtailsnippets_volunteers_announcement:list"),
        (_("Pages"), "wagtailadmin_explore_root"),
    ],
    Role.CONTENT_OFFICER: [
        (_("Pages"), "wagtailadmin_explore_root"),
        (_("Images"), "wagtailimages:index"),
        (_("Authors"), "wagtailsnippets_blog_author:list"),
    ],
    Role.GUEST_EDITOR: [
        (_("Pages"), "wagtailadmin_explore_root"),
        (_("Pages waiting for your review"), "wagtailadmin_home"),
    ],
    Role.AMBASSADOR: [
        (_("Your ambassador profile"), "wagtailsnippets_ambassadors_ambassador:list"),
        (_("Pages"), "wagtailadmin_explore_root"),
    ],
    Role.SOCIAL_COORDINATOR: [(_("Social queue"), "wagtailsnippets_social_socialpost:list")],
    Role.COMMUNICATIONS_OFFICER: [
        (_("Campaigns"), "wagtailsnippets_campaigns_campaign:list"),
        (_("Images"), "wagtailimages:index"),
    ],
    Role.DATA_OFFICER: [
        (_("Applications"), "wagtailsnippets_mentoring_application:list"),
        (_("Interest list"), "wagtailsnippets_mentoring_interestedperson:list"),
        (_("Outbox"), "outbox:index"),
    ],
}


def links_for(role: str) -> list[dict]:
    from django.urls import NoReverseMatch

    links = []
    for label, name in SCREENS.get(role, []):
        try:
            links.append({"label": label, "url": reverse(name)})
        except NoReverseMatch:
            continue
    return links


class OnboardingPanel(Component):
    name = "volunteer_onboarding"
    order = 40
    template_name = "volunteers/admin/onboarding_panel.html"

    def __init__(self, request, record: VolunteerRecord) -> None:
        self.request = request
        self.record = record

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        roles = []
        for role in self.record.roles:
            if role not in Role.values:
                continue
            roles.append(
                {
                    "label": Role(role).label,
                    "page": PositionPage.for_role(role),
                    "links": links_for(role),
                }
            )
        context["record"] = self.record
        context["roles"] = roles
        context["unread"] = noticeboard.unread_count(self.request.user)
        context["noticeboard_url"] = reverse("volunteers_noticeboard")
        return context


class DueSoonPanel(Component):
    name = "volunteers_due_soon"
    order = 45
    template_name = "volunteers/admin/due_soon_panel.html"

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["records"] = list(
            VolunteerRecord.objects.due_within(DUE_SOON_DAYS)
            .select_related("user")
            .order_by("term_ends_on")
        )
        context["days"] = DUE_SOON_DAYS
        context["listing_url"] = (
            reverse("wagtailsnippets_volunteers_volunteerrecord:list") + "?due=soon"
        )
        return context
