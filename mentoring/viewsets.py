"""Admin screens for directors and data officers: rounds, applications, pathways, the
interest list and the barred list, with filters, search, exports and bulk actions; the
round cockpit, the partnerships and the matching screens."""

import django_filters
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import InspectView, SnippetViewSet, SnippetViewSetGroup

from mentoring import cockpit_views, matching_views
from mentoring.choices import CRITERION_LABELS
from mentoring.links import pathway_link_token
from mentoring.models import (
    Application,
    BarredEmail,
    Interest,
    InterestedPerson,
    PairRule,
    PartnerOrganisation,
    Partnership,
    Pathway,
    Round,
)
from website.admin_display import ReadableInspectMixin


class RoundInspectView(ReadableInspectMixin, InspectView):
    """A round's figures: applications by status, by pathway and by country."""

    template_name = "mentoring/admin/round_inspect.html"

    def get_hierarchy_display_value(self) -> str:
        parts = []
        for row in self.object.hierarchy:
            label = CRITERION_LABELS.get(row.get("criterion"), row.get("criterion"))
            hard = f" {_('hard')}" if row.get("hard") else ""
            parts.append(f"{label} {row.get('weight', 0):g}{hard}")
        return ", ".join(parts)

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


class ApplicationInspectView(ReadableInspectMixin, InspectView):
    pass


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
        "interest_names",
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
    export_headings = {"interest_names": _("Areas of interest")}
    inspect_view_enabled = True
    inspect_view_class = ApplicationInspectView
    copy_view_enabled = False

    def get_queryset(self, request):
        return Application.objects.select_related(
            "round", "pathway__organisation", "person"
        ).prefetch_related("interests")


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


class DirectorsMenuItem(MenuItem):
    """A menu item only the people who run rounds see."""

    def is_shown(self, request):
        return request.user.has_perm("mentoring.change_round")


class RoundCockpitViewSet(ViewSet):
    """The round cockpit: each round's pipeline and the one button for what comes next."""

    name = "round_cockpit"
    url_prefix = "mentoring/cockpit"
    icon = "tasks"
    menu_label = _("Round cockpit")
    menu_item_class = DirectorsMenuItem

    def get_urlpatterns(self):
        return [
            path("", cockpit_views.cockpit_index, name="index"),
            path("<int:round_id>/", cockpit_views.round_cockpit, name="round"),
        ]


class MatchingViewSet(ViewSet):
    """A round's matching: its decision hierarchy and runs, a run's review, hand edits,
    export and approval. Reached from a round (its "Matching" button and the cockpit), so
    it has no menu item of its own."""

    name = "mentoring_matching"
    url_prefix = "matching"
    icon = "group"

    def get_urlpatterns(self):
        views = matching_views
        return [
            path("round/<int:round_id>/", views.RoundMatchingView.as_view(), name="round"),
            path(
                "round/<int:round_id>/rematch/",
                views.StartRematchView.as_view(),
                name="rematch",
            ),
            path("run/<int:run_id>/", views.RunReviewView.as_view(), name="run"),
            path("run/<int:run_id>/progress/", views.RunProgressView.as_view(), name="progress"),
            path("run/<int:run_id>/adjust/", views.AdjustRunView.as_view(), name="adjust"),
            path("run/<int:run_id>/approve/", views.ApproveRunView.as_view(), name="approve"),
            path("run/<int:run_id>/restart/", views.RestartRunView.as_view(), name="restart"),
            path(
                "run/<int:run_id>/export.<str:fmt>",
                views.ExportRunView.as_view(),
                name="export",
            ),
        ]


class PartnershipPermissionPolicy(ModelPermissionPolicy):
    """Partnerships are made by approving a matching run, never by hand: who may see rounds
    may see their partnerships; nobody adds, edits or deletes them here (the actions on a
    partnership are the cockpit's, for those who may change rounds)."""

    def __init__(self):
        super().__init__(Partnership, auth_model=Round)

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class PartnershipFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            ("active", _("Active")),
            ("flagged", _("Waiting for a re-match")),
            ("ended", _("Ended")),
        ],
        method="filter_state",
        empty_label=_("Any"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        choices=lambda: list(countries),
        method="filter_country",
        empty_label=_("Any"),
    )

    class Meta:
        model = Partnership
        fields = ["round"]

    def filter_state(self, queryset, name, value):
        if value == "ended":
            return queryset.filter(ended_at__isnull=False)
        queryset = queryset.filter(ended_at__isnull=True)
        return queryset.filter(flagged_at__isnull=value == "active")

    def filter_country(self, queryset, name, value):
        return queryset.filter(members__country=value).distinct()


def _partnership_state(partnership: Partnership) -> str:
    if partnership.ended_at:
        return str(_("Ended"))
    if partnership.flagged_at:
        return str(_("Waiting for a re-match"))
    return str(_("Active"))


def _partnership_reports(partnership: Partnership) -> str:
    return " · ".join(
        f"{report.reporter.name}: {report.note}" if report.note else report.reporter.name
        for report in partnership.reports.all()
    )


def _partnership_check_ins(partnership: Partnership) -> str:
    answers = [
        check_in
        for member in partnership.members.all()
        for check_in in member.check_ins.all()
        if check_in.answered_at
    ]
    heard = sum(1 for check_in in answers if check_in.heard_from_partner)
    return _("%(yes)d yes, %(no)d no") % {"yes": heard, "no": len(answers) - heard}


class PartnershipViewSet(ModelViewSet):
    """Partnerships by round, state and country, with check-ins, reports and actions."""

    model = Partnership
    icon = "group"
    menu_label = _("Partnerships")
    url_prefix = "mentoring/partnerships"
    name = "mentoring_partnerships"
    filterset_class = PartnershipFilterSet
    form_fields = ["flagged_at", "ended_at"]
    index_view_class = cockpit_views.PartnershipIndexView
    inspect_view_class = cockpit_views.PartnershipInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    list_display = [
        TitleColumn(
            "members",
            label=_("Partners"),
            accessor=str,
            url_name="mentoring_partnerships:inspect",
        ),
        "round",
        "score",
        Column("state", label=_("Status"), accessor=_partnership_state),
        Column("check_ins", label=_("Check-in answers"), accessor=_partnership_check_ins),
        Column("reports", label=_("Reports"), accessor=_partnership_reports),
        "published_at",
    ]

    def get_queryset(self, request):
        return (
            Partnership.objects.select_related("round")
            .prefetch_related("members__check_ins", "reports__reporter")
            .order_by("-flagged_at", "-created_at")
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/act/", cockpit_views.act_on_partnership, name="act"),
        ]


class RoundsInProgressViewSetGroup(ViewSetGroup):
    menu_label = _("Running rounds")
    menu_icon = "tasks"
    menu_order = 151
    items = (RoundCockpitViewSet, PartnershipViewSet)
