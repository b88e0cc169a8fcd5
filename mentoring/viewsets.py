"""Admin screens for directors and data officers: rounds, applications, pathways, the
interest list and the barred list, with filters, search, exports and bulk actions."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import InspectView, SnippetViewSet, SnippetViewSetGroup

from mentoring.links import pathway_link_token
from mentoring.models import (
    Application,
    BarredEmail,
    Interest,
    InterestedPerson,
    PairRule,
    PartnerOrganisation,
    Pathway,
    Round,
)


class RoundInspectView(InspectView):
    """A round's figures: applications by status, by pathway and by country."""

    template_name = "mentoring/admin/round_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        applications = self.object.applications.all()
        participant = Q(status__in=Application.PARTICIPANT_STATUSES)
        context["by_status"] = [
            (Application.Status(row["status"]).label, row["n"])
            for row in applications.values("status").annotate(n=Count("pk")).order_by("-n")
        ]
        context["by_pathway"] = (
            applications.values("pathway__organisation__name", "pathway__kind")
            .annotate(n=Count("pk"), participants=Count("pk", filter=participant))
            .order_by("-n")
        )
        context["by_country"] = (
            applications.values("country")
            .annotate(n=Count("pk"), participants=Count("pk", filter=participant))
            .order_by("-n")[:30]
        )
        context["total"] = applications.count()
        context["invitations"] = [
            (
                pathway,
                self.request.build_absolute_uri(
                    reverse("mentoring:apply") + "?invite=" + pathway_link_token(pathway)
                ),
            )
            for pathway in self.object.pathways.filter(kind=Pathway.Kind.MEMBERS_ONLY)
        ]
        return context


class RoundViewSet(SnippetViewSet):
    model = Round
    icon = "date"
    menu_label = _("Rounds")
    list_display = [
        "name",
        Column("status", label=_("Status"), accessor="get_status_display"),
        "application_opens_at",
        "application_closes_at",
        "starts_on",
    ]
    search_fields = ["name"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_class = RoundInspectView
    copy_view_enabled = False


class ApplicationViewSet(SnippetViewSet):
    model = Application
    icon = "form"
    menu_label = _("Applications")
    list_display = [
        "name",
        "country",
        "sector",
        "status",
        "pathway",
        "round",
        "created_at",
        BooleanColumn("previously_inactive", label=_("Inactive before")),
    ]
    list_filter = ["round", "status", "country", "sector", "career_stage", "pathway"]
    search_fields = ["name", "email", "city", "role"]
    search_backend_name = None
    list_per_page = 50
    list_export = [
        "round",
        "name",
        "email",
        "country",
        "city",
        "time_zone",
        "sector",
        "role",
        "career_stage",
        "years_experience",
        "languages",
        "wants_sector",
        "wants_career_stage",
        "preferred_regions",
        "status",
        "pathway",
        "created_at",
        "verified_at",
        "confirmed_at",
    ]
    export_filename = "applications"
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        return Application.objects.select_related("round", "pathway__organisation", "person")


class InterestedPersonViewSet(SnippetViewSet):
    model = InterestedPerson
    icon = "mail"
    menu_label = _("Interest list")
    list_display = ["name", "email", "country", "confirmed_at", "unsubscribed_at", "created_at"]
    list_filter = ["country"]
    search_fields = ["name", "email"]
    search_backend_name = None
    list_export = ["name", "email", "country", "confirmed_at", "unsubscribed_at", "created_at"]
    export_filename = "interest-list"
    copy_view_enabled = False


class PartnerOrganisationViewSet(SnippetViewSet):
    model = PartnerOrganisation
    icon = "group"
    menu_label = _("Partner organisations")
    list_display = ["name", "country", "website"]
    search_fields = ["name"]
    search_backend_name = None


class InterestViewSet(SnippetViewSet):
    model = Interest
    icon = "tag"
    menu_label = _("Areas of interest")
    list_display = ["name", "code", "sort_order", "active"]


class PairRuleViewSet(SnippetViewSet):
    model = PairRule
    icon = "link"
    menu_label = _("Pinned and forbidden pairs")
    list_display = ["first", "second", "kind", "round", "note"]
    list_filter = ["round", "kind"]
    copy_view_enabled = False


class BarredEmailViewSet(SnippetViewSet):
    model = BarredEmail
    icon = "warning"
    menu_label = _("Barred people")
    list_display = ["email_normalised", "decided_at"]
    search_fields = ["email_normalised"]
    search_backend_name = None
    copy_view_enabled = False


class MentoringViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Mentoring")
    menu_icon = "group"
    menu_order = 150
    items = (
        RoundViewSet,
        ApplicationViewSet,
        InterestedPersonViewSet,
        PartnerOrganisationViewSet,
        InterestViewSet,
        PairRuleViewSet,
        BarredEmailViewSet,
    )
