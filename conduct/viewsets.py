"""The complaints screens, for directors only: listing (search, filters, export), inspect,
add and edit (with evidence uploads and the decision), and the history of every change.
There is no delete: the permission policy refuses it to everyone, superusers included."""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import CreateView, EditView, InspectView, SnippetViewSet

from conduct.forms import ComplaintAdminForm
from conduct.models import Complaint
from conduct.services import complaints
from website.admin_display import ReadableInspectMixin


class ComplaintPermissionPolicy(ModelPermissionPolicy):
    """The model permissions (directors), and no deleting for anyone."""

    def __init__(self) -> None:
        super().__init__(Complaint)

    def user_has_permission(self, user, action: str) -> bool:
        if action == "delete":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions, **kwargs):
        actions = [action for action in actions if action != "delete"]
        return super().users_with_any_permission(actions, **kwargs)


AUDITED_FORM_FIELDS = (
    "reporter_application",
    "reporter_name",
    "reporter_email",
    "about",
    "subject_application",
    "subject_user",
    "subject_name",
    "subject_email",
    "round",
    "partnership",
    "what_happened",
    "happened_on",
    "status",
    "decision",
    "reasons",
    "actions",
    "received_at",
)


class AuditedSaveMixin:
    """Saves through the complaints service: what changed is logged, a new evidence file is
    stored privately, and a removal decision is carried out."""

    created = False

    def save_instance(self):
        form = self.form
        changes = {
            name: (form.initial.get(name), form.cleaned_data.get(name))
            for name in form.changed_data
            if name in AUDITED_FORM_FIELDS
        }
        instance = super().save_instance()
        upload = form.cleaned_data.get("new_evidence")
        if upload:
            complaints.add_evidence(instance, upload, self.request.user)
        complaints.record_admin_change(instance, self.request.user, changes, created=self.created)
        return instance


class ComplaintCreateView(AuditedSaveMixin, CreateView):
    created = True


class ComplaintEditView(AuditedSaveMixin, EditView):
    pass


class ComplaintInspectView(ReadableInspectMixin, InspectView):
    def get_evidence_display_value(self):
        rows = [
            (
                reverse("conduct_evidence", args=[evidence.pk]),
                evidence.name,
                f"{evidence.added_at:%Y-%m-%d}",
            )
            for evidence in self.object.evidence.all()
            if evidence.file
        ]
        if not rows:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", '<li><a href="{}">{}</a> ({})</li>', rows),
        )


class ComplaintViewSet(SnippetViewSet):
    model = Complaint
    icon = "warning"
    menu_label = _("Complaints")
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["__str__", "subject_display", "about", "status", "decision", "received_at"]
    list_filter = ["status", "decision", "about", "round"]
    search_fields = ["reporter_name", "subject_name", "subject_email", "what_happened"]
    search_backend_name = None
    list_export = [
        "pk",
        "received_at",
        "about",
        "reporter_name",
        "reporter_email",
        "subject_name",
        "subject_email",
        "round",
        "what_happened",
        "status",
        "decision",
        "reasons",
        "actions",
        "decided_at",
        "decided_by",
        "removal_done_at",
        "anonymised_at",
    ]
    export_filename = "complaints"
    inspect_view_enabled = True
    inspect_view_class = ComplaintInspectView
    inspect_view_fields = [
        "received_at",
        "reporter_name",
        "reporter_email",
        "about",
        "subject_name",
        "subject_email",
        "subject_application",
        "subject_user",
        "round",
        "partnership",
        "happened_on",
        "what_happened",
        "evidence",
        "status",
        "decision",
        "reasons",
        "actions",
        "decided_at",
        "decided_by",
        "removal_done_at",
        "barred_email",
        "anonymised_at",
    ]
    add_view_class = ComplaintCreateView
    edit_view_class = ComplaintEditView
    copy_view_enabled = False
    # Complaints never show on the "usage" screens of the records they name.
    add_to_reference_index = False

    def get_queryset(self, request):
        """One query for the listing and the export, however many rows."""
        return Complaint.objects.select_related(
            "subject_application", "subject_user", "round", "decided_by"
        )

    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("reporter_name"), FieldPanel("reporter_email")]),
                    FieldPanel("reporter_application"),
                ],
                heading=_("Who reported"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("about"),
                    FieldRowPanel([FieldPanel("subject_name"), FieldPanel("subject_email")]),
                    FieldPanel("subject_application"),
                    FieldPanel("subject_user"),
                    FieldRowPanel([FieldPanel("round"), FieldPanel("partnership")]),
                ],
                heading=_("About whom"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("received_at"), FieldPanel("happened_on")]),
                    FieldPanel("what_happened"),
                    HelpPanel(template="conduct/admin/evidence_panel.html"),
                    FieldPanel("new_evidence"),
                ],
                heading=_("What happened and the evidence"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("status"), FieldPanel("decision")]),
                    FieldPanel("reasons"),
                    FieldPanel("actions"),
                ],
                heading=_("Decision"),
                help_text=_(
                    "Saving a removal decision carries it out: the person is barred from later "
                    "rounds, their applications close, their partner is offered a new partner, "
                    "a volunteer loses admin access, and they get a neutral notice."
                ),
            ),
        ],
        base_form_class=ComplaintAdminForm,
    )
