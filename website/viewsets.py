"""The Outbox in the admin: every email the site sent or will send, with its recipient,
purpose, state and body. A message "in doubt" (its worker died while sending it) is settled
here: "mark sent" when it arrived, "send again" when it did not.

Who sees it and who settles follows the outbox model's own permissions (view, change);
nobody adds, edits or deletes its rows by hand."""

from datetime import datetime

import django_filters
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template import TemplateDoesNotExist
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from website import outbox
from website.models import OutboundEmail

NAMESPACE = "outbox"


class OutboxPermissionPolicy(ModelPermissionPolicy):
    """View: `view_outboundemail`; settle a message in doubt: `change_outboundemail`. Rows
    are written by the outbox alone, so "add", "change" (the edit form) and "delete" are
    refused to everyone."""

    SETTLE = "settle"

    def user_has_permission(self, user, action: str) -> bool:
        if action == self.SETTLE:
            return super().user_has_permission(user, "change")
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)


policy = OutboxPermissionPolicy(OutboundEmail)
register_permission_policy(OutboundEmail, policy)

# conduct (#16): emails about a complaint are seen only by those who read complaints.
CONDUCT_KEY_PREFIX = "conduct:"
CONDUCT_PERMISSION = "conduct.view_complaint"


def visible_to(user):
    """The outbox rows this person may see: the emails about complaints only for those who
    may read complaints (the directors)."""
    rows = OutboundEmail.objects.all()
    if not user.has_perm(CONDUCT_PERMISSION):
        rows = rows.exclude(key__startswith=CONDUCT_KEY_PREFIX)
    return rows


def purpose_label(template: str) -> str:
    return capfirst(template.replace("_", " "))


def purpose_choices(user=None) -> list[tuple[str, str]]:
    rows = visible_to(user) if user is not None else OutboundEmail.objects.all()
    templates = rows.order_by().values_list("template", flat=True).distinct()
    return [(template, purpose_label(template)) for template in sorted(templates)]


class OutboxFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("State"), choices=OutboundEmail.Status.choices
    )
    template = django_filters.ChoiceFilter(label=gettext_lazy("Purpose"), choices=purpose_choices)
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Created"), widget=DateRangePickerWidget
    )

    class Meta:
        model = OutboundEmail
        fields = ["status", "template", "created_at"]

    def __init__(self, *args, request=None, **kwargs) -> None:
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["template"].extra["choices"] = purpose_choices(request.user)


class PurposeColumn(Column):
    def get_value(self, instance: OutboundEmail) -> str:
        return purpose_label(instance.template)


class StateColumn(Column):
    def get_value(self, instance: OutboundEmail) -> str:
        if instance.status == OutboundEmail.Status.IN_DOUBT:
            return format_html("<strong>{}</strong>", instance.get_status_display())
        return instance.get_status_display()


def url(name: str, *args) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=args)


def settle_buttons(user, message: OutboundEmail) -> list[ListingButton]:
    if message.status != OutboundEmail.Status.IN_DOUBT or not policy.user_has_permission(
        user, OutboxPermissionPolicy.SETTLE
    ):
        return []
    return [
        ListingButton(_("Mark sent"), url=url("mark_sent", message.pk), priority=1),
        ListingButton(_("Send again"), url=url("send_again", message.pk), priority=2),
    ]


class OutboxIndexView(IndexView):
    def get_base_queryset(self):
        return visible_to(self.request.user)

    def get_list_more_buttons(self, instance: OutboundEmail):
        buttons = super().get_list_more_buttons(instance)
        return [*buttons, *settle_buttons(self.request.user, instance)]


class OutboxInspectView(InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_field_label(self, field_name: str, field) -> str:
        if field_name == "body":
            return _("Body")
        if field_name == "template":
            return _("Purpose")
        return super().get_field_label(field_name, field)

    def get_template_display_value(self) -> str:
        return purpose_label(self.object.template)

    @cached_property
    def rendered(self) -> tuple[str, str]:
        """Subject and plain text; a row from before a template was removed says so."""
        try:
            subject, text, _html = outbox.rendered(self.object)
        except (TemplateDoesNotExist, ObjectDoesNotExist) as error:
            return "", _("The body cannot be shown: %(error)s") % {"error": error}
        return subject, text

    def get_subject_display_value(self) -> str:
        return self.object.subject or self.rendered[0]

    def get_body_display_value(self) -> str:
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', self.rendered[1])

    def get_sent_at_display_value(self) -> datetime | str:
        return self.object.sent_at or "—"

    @property
    def header_more_buttons(self):
        buttons = [
            HeaderButton(button.label, url=button.url)
            for button in settle_buttons(self.request.user, self.object)
        ]
        return [*super().header_more_buttons, *buttons]


def _settle(request, pk: int, settle, action: str, question: str, warning: str, done: str):
    """GET shows what settling the message means; POST does it."""
    if not policy.user_has_permission(request.user, OutboxPermissionPolicy.SETTLE):
        raise PermissionDenied
    message = get_object_or_404(visible_to(request.user), pk=pk)
    if request.method == "POST":
        try:
            settle(message.pk)
        except outbox.NotInDoubt as error:
            messages.warning(request, str(error))
        else:
            messages.success(request, done)
        return redirect(url("index"))
    return TemplateResponse(
        request,
        "website/admin/outbox_settle.html",
        {
            "message": message,
            "question": question,
            "warning": warning,
            "action": action,
            "header_title": action,
            "inspect_url": url("inspect", message.pk),
        },
    )


def mark_sent_view(request, pk: int):
    to = {"to": get_object_or_404(visible_to(request.user), pk=pk).to}
    return _settle(
        request,
        pk,
        outbox.mark_sent,
        action=_("Mark sent"),
        question=_(
            "Did this message reach %(to)s? Mark it sent only if you found it in the mail "
            "provider's log or the recipient has it: it will not be sent again."
        )
        % to,
        warning="",
        done=_("The message to %(to)s is marked sent.") % to,
    )


def send_again_view(request, pk: int):
    to = {"to": get_object_or_404(visible_to(request.user), pk=pk).to}
    return _settle(
        request,
        pk,
        outbox.send_again,
        action=_("Send again"),
        question=_("Send this message to %(to)s again?") % to,
        warning=_(
            "It may have arrived already: its worker stopped while sending it. If it did, "
            "%(to)s will get it twice. Check the mail provider's log first if you can."
        )
        % to,
        done=_("The message to %(to)s is queued to be sent again.") % to,
    )


class OutboxViewSet(ModelViewSet):
    model = OutboundEmail
    name = NAMESPACE
    icon = "mail"
    menu_label = gettext_lazy("Outbox")
    menu_order = 270
    add_to_admin_menu = True
    index_view_class = OutboxIndexView
    inspect_view_class = OutboxInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = OutboxFilterSet
    search_fields = ["to"]
    search_backend_name = None
    list_display = [
        Column("to", label=gettext_lazy("Recipient")),
        PurposeColumn("template", label=gettext_lazy("Purpose")),
        StateColumn("status", label=gettext_lazy("State")),
        DateColumn("created_at", label=gettext_lazy("Created")),
        DateColumn("sent_at", label=gettext_lazy("Sent")),
    ]
    inspect_view_fields = [
        "to",
        "template",
        "status",
        "subject",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
        "key",
        "body",
    ]
    # A viewset needs a form; the policy refuses "add" and "change", so it is never shown.
    form_fields = ["status"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("mark-sent/<int:pk>/", mark_sent_view, name="mark_sent"),
            path("send-again/<int:pk>/", send_again_view, name="send_again"),
        ]


outbox_viewset = OutboxViewSet()
