"""The volunteers in the admin: the directors' screens, the noticeboard and the acceptance
screen for everyone, the dashboard panels, and the log actions of the records' history."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from volunteers import admin_views
from volunteers.models import VolunteerRecord
from volunteers.panels import DueSoonPanel, OnboardingPanel
from volunteers.roles import Role, document_label
from volunteers.viewsets import VolunteersGroup
from website.admin_display import EMPTY, readable
from website.models import User

register_snippet(VolunteersGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("volunteers/accept/", admin_views.accept, name="volunteers_accept"),
        path(
            "volunteers/noticeboard/", admin_views.noticeboard_index, name="volunteers_noticeboard"
        ),
        path(
            "volunteers/noticeboard/<int:pk>/",
            admin_views.announcement,
            name="volunteers_announcement",
        ),
    ]


@hooks.register("after_create_user")
@hooks.register("after_edit_user")
def record_for_role_groups(request, user):
    """Every admin user in a role group has a volunteer record (volunteers.services.records)."""
    from volunteers.services import records

    records.ensure_record(user, by=request.user)


@hooks.register("register_admin_menu_item")
def noticeboard_menu_item():
    return MenuItem(
        _("Noticeboard"), reverse("volunteers_noticeboard"), icon_name="info-circle", order=255
    )


@hooks.register("construct_homepage_panels")
def add_volunteer_panels(request, panels):
    record = VolunteerRecord.objects.filter(user=request.user).first()
    if record is not None and record.is_serving:
        panels.append(OnboardingPanel(request, record))
    if request.user.has_perm("volunteers.change_volunteerrecord"):
        panels.append(DueSoonPanel())


def shown(field: str, value) -> str:
    """A logged value as a person reads it."""
    if field == "roles":
        return ", ".join(str(Role(r).label) for r in value or [] if r in Role.values) or EMPTY
    if field == "reports_to_id" and value:
        user = User.objects.filter(pk=value).first()
        return (user.get_full_name() or user.get_username()) if user else str(value)
    if field == "status" and value in VolunteerRecord.Status.values:
        return str(VolunteerRecord.Status(value).label)
    return str(readable(value))


def describe_changes(data: dict) -> str:
    changes = data.get("changes") or {}
    labels = {f.attname: f.verbose_name for f in VolunteerRecord._meta.concrete_fields}
    parts = [
        f"{labels.get(field, field)}: {shown(field, old)} → {shown(field, new)}"
        for field, (old, new) in changes.items()
    ]
    if data.get("reason"):
        parts.append(f"({data['reason']})")
    return "; ".join(parts) or EMPTY


@hooks.register("register_log_actions")
def register_log_actions(actions):
    @actions.register_action("volunteers.create")
    class RecordCreated(LogFormatter):
        label = _("Volunteer record made")

        def format_message(self, log_entry):
            return _("Record made: %(changes)s") % {"changes": describe_changes(log_entry.data)}

    @actions.register_action("volunteers.change")
    class RecordChanged(LogFormatter):
        label = _("Volunteer record changed")

        def format_message(self, log_entry):
            return _("Changed: %(changes)s") % {"changes": describe_changes(log_entry.data)}

    @actions.register_action("volunteers.accept")
    class DocumentsAccepted(LogFormatter):
        label = _("Documents accepted")

        def format_message(self, log_entry):
            accepted = log_entry.data.get("accepted") or []
            return _("Accepted: %(documents)s") % {
                "documents": ", ".join(
                    f"{document_label(doc)} v{version}" for doc, version in accepted
                )
            }
