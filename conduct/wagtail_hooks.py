"""Registers the complaints screens (directors only), the evidence download and the audit
log's actions."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from conduct import views
from conduct.models import Complaint
from conduct.viewsets import ComplaintPermissionPolicy, ComplaintViewSet

register_permission_policy(Complaint, ComplaintPermissionPolicy(), exact_class=True)
register_snippet(ComplaintViewSet)


@hooks.register("register_admin_urls")
def register_evidence_url():
    return [
        path(
            "conduct/evidence/<int:evidence_id>/",
            views.evidence_file,
            name="conduct_evidence",
        )
    ]


@hooks.register("register_log_actions")
def register_conduct_log_actions(actions):
    @actions.register_action("conduct.changed")
    class ChangedFormatter(LogFormatter):
        label = _("Complaint changed")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            values = data.get("values", {})
            parts = []
            for name in data.get("fields", []):
                if name in values:
                    old, new = values[name]
                    parts.append(f"{name}: {old or '—'} → {new or '—'}")
                else:
                    parts.append(name)
            return _("Changed: %(fields)s") % {"fields": "; ".join(parts) or "—"}

    simple = {
        "conduct.reported": (_("Reported"), _("Reported by a participant from their page")),
        "conduct.evidence_added": (_("Evidence added"), _("An evidence file was added")),
        "conduct.anonymised": (
            _("Anonymised"),
            _("Anonymised after the retention period: names, addresses, text and files removed"),
        ),
        "conduct.removal.barred": (
            _("Removal: barred"),
            _("The person's address was put on the barred list"),
        ),
        "conduct.removal.application_closed": (
            _("Removal: application closed"),
            _("An application of the person was closed"),
        ),
        "conduct.removal.partnership_ended": (
            _("Removal: partnership ended"),
            _("The person's partnership was ended"),
        ),
        "conduct.removal.rematch_offered": (
            _("Removal: re-match offered"),
            _("Their partner was offered a new partner"),
        ),
        "conduct.removal.admin_access_ended": (
            _("Removal: admin access ended"),
            _("The volunteer's admin access was ended"),
        ),
        "conduct.removal.notice_sent": (
            _("Removal: notice sent"),
            _("The person was sent the neutral notice"),
        ),
        "conduct.admin_access_ended": (
            _("Admin access ended"),
            _("Groups removed and account made inactive under the code of conduct"),
        ),
    }
    for action, (label, message) in simple.items():
        actions.register_action(action, label, message)
