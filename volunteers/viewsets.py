"""The volunteers in the admin, for directors: volunteer records (with who is due to recommit
in the next 60 days and each record's history of changes), expressions of interest, the
versions of the documents volunteers accept, and the noticeboard's announcements."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from volunteers.models import (
    DUE_SOON_DAYS,
    Announcement,
    DocumentVersion,
    ExpressionOfInterest,
    VolunteerRecord,
)
from volunteers.roles import Role
from volunteers.services import agreements, records
from website.admin_display import ReadableInspectMixin


class VolunteerRecordFilterSet(WagtailFilterSet):
    due = django_filters.ChoiceFilter(
        label=_("Term"),
        choices=[("soon", _("Ends within 60 days"))],
        method="filter_due",
        empty_label=_("Any"),
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, method="filter_role", empty_label=_("Any")
    )

    class Meta:
        model = VolunteerRecord
        fields = ["status"]

    def filter_due(self, queryset, name, value):
        return queryset.due_within(DUE_SOON_DAYS) if value == "soon" else queryset

    def filter_role(self, queryset, name, value):
        return queryset.filter(roles__icontains=f'"{value}"')


class RecordSavingMixin:
    """Saved through volunteers.services.records: groups follow, every change is logged."""

    def save_instance(self):
        instance = self.form.save(commit=False)
        return records.save_record(instance, by=self.request.user)


class RecordCreateView(RecordSavingMixin, CreateView):
    pass


class RecordEditView(RecordSavingMixin, EditView):
    pass


class RecordDeleteView(DeleteView):
    """Deleting a record takes its role groups away first (volunteers.services.records)."""

    def delete_action(self):
        records.delete_record(self.object, by=self.request.user)


class RecordInspectView(ReadableInspectMixin, InspectView):
    def get_roles_display_value(self):
        return self.object.role_labels or "—"


class VolunteerRecordViewSet(SnippetViewSet):
    model = VolunteerRecord
    icon = "group"
    menu_label = _("Volunteer records")
    add_view_class = RecordCreateView
    edit_view_class = RecordEditView
    delete_view_class = RecordDeleteView
    inspect_view_class = RecordInspectView
    inspect_view_enabled = True
    filterset_class = VolunteerRecordFilterSet
    list_display = [
        "name",
        Column("role_labels", label=_("Roles")),
        "country",
        "status",
        "term_ends_on",
    ]
    search_fields = ["user__first_name", "user__last_name", "user__username"]
    ordering = ["term_ends_on"]

    def get_queryset(self, request):
        return VolunteerRecord.objects.select_related("user")


class InterestInspectView(ReadableInspectMixin, InspectView):
    def get_roles_display_value(self):
        return self.object.role_labels or "—"


class ExpressionOfInterestViewSet(SnippetViewSet):
    model = ExpressionOfInterest
    icon = "mail"
    menu_label = _("Interest in volunteering")
    inspect_view_enabled = True
    inspect_view_class = InterestInspectView
    list_display = [
        "name",
        "email",
        "country",
        Column("role_labels", label=_("Roles")),
        "created_at",
    ]
    search_fields = ["name", "email"]


class VersionCreateView(CreateView):
    def save_instance(self):
        return agreements.publish_version(self.form.save(commit=False), by=self.request.user)


class VersionInspectView(ReadableInspectMixin, InspectView):
    pass


class DocumentVersionViewSet(SnippetViewSet):
    model = DocumentVersion
    icon = "doc-full"
    menu_label = _("Document versions")
    add_view_class = VersionCreateView
    inspect_view_enabled = True
    inspect_view_class = VersionInspectView
    list_display = ["document", "number", "published_at", "published_by"]


class AnnouncementCreateView(CreateView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        instance.author = self.request.user
        instance.save()
        return instance


class AnnouncementViewSet(SnippetViewSet):
    model = Announcement
    icon = "info-circle"
    menu_label = _("Announcements")
    add_view_class = AnnouncementCreateView
    list_display = ["title", "published_at", "author"]
    search_fields = ["title"]


class VolunteersGroup(SnippetViewSetGroup):
    menu_label = _("Volunteers")
    menu_icon = "group"
    menu_order = 260
    items = (
        VolunteerRecordViewSet,
        ExpressionOfInterestViewSet,
        DocumentVersionViewSet,
        AnnouncementViewSet,
    )
