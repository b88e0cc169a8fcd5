"""Admin screens of program email: campaigns (build, preview, count, test, send or
schedule, figures) and the suppression list."""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from campaigns import rendering, segments
from campaigns.forms import CampaignForm, ScheduleForm, TestSendForm
from campaigns.models import Campaign, Suppression
from campaigns.services import sending
from mentoring.models import Application
from website.models import OutboundEmail

NAMESPACE = "wagtailsnippets_campaigns_campaign"


def campaign_url(name: str, campaign: Campaign) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=[campaign.pk])


class CampaignCreateView(CreateView):
    def form_valid(self, form):
        form.instance.created_by = self.request.user
        return super().form_valid(form)

    def get_success_url(self):
        return campaign_url("inspect", self.object)


class CampaignEditView(EditView):
    def dispatch(self, request, *args, **kwargs):
        campaign = get_object_or_404(Campaign, pk=kwargs["pk"])
        if not campaign.editable:
            messages.error(request, _("A campaign that has started cannot be changed."))
            return redirect(campaign_url("inspect", campaign))
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return campaign_url("inspect", self.object)


class CampaignInspectView(InspectView):
    """The campaign page: who it goes to (counted now), preview, test, send or schedule,
    and once it has gone, its figures."""

    template_name = "campaigns/admin/campaign_inspect.html"
    page_title = gettext_lazy("Campaign")

    def get_fields_context(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.object
        user = self.request.user
        context["campaign"] = campaign
        status_labels = dict(Application.Status.choices)
        context["status_labels"] = [status_labels.get(v, v) for v in campaign.statuses]
        language_labels = dict(segments.LANGUAGE_CHOICES)
        context["language_labels"] = [language_labels.get(v, v) for v in campaign.languages]
        context["can_send"] = user.has_perm("campaigns.send_campaign")
        if campaign.editable:
            context["count"] = segments.count(campaign)
            if context["count"].without_page and rendering.uses_personal_link(campaign):
                context["audience_problem"] = rendering.without_page_message(
                    context["count"].without_page
                )
        else:
            context["figures"] = sending.figures(campaign)
            context["in_doubt"] = sending.messages(campaign).filter(
                status=OutboundEmail.Status.IN_DOUBT
            )[:100]
            context["problems"] = (
                campaign.deliveries.select_related("outbound")
                .filter(
                    Q(bounced_at__isnull=False)
                    | Q(complained_at__isnull=False)
                    | Q(outbound__status=OutboundEmail.Status.FAILED)
                )
                .order_by("-last_event_at")[:100]
            )
        context["test_form"] = TestSendForm(initial={"to": user.email})
        context["schedule_form"] = ScheduleForm(
            initial={"when": campaign.scheduled_at and timezone.localtime(campaign.scheduled_at)}
        )
        context["urls"] = {
            key: campaign_url(key, campaign)
            for key in [
                "edit",
                "preview_email",
                "preview_text",
                "test",
                "send",
                "schedule",
                "unschedule",
                "cancel",
                "resend",
                "mark_sent",
            ]
        }
        return context


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "mail"
    menu_label = gettext_lazy("Campaigns")
    menu_order = 100
    add_to_admin_menu = False
    list_display = [
        TitleColumn(
            "name",
            label=gettext_lazy("Name"),
            url_name=f"{NAMESPACE}:inspect",
            # The id the row's checkbox is named by (as Wagtail's own title column has it).
            get_title_id=lambda campaign: f"snippet_{quote(campaign.pk)}_title",
        ),
        "subject",
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        "scheduled_at",
        "recipient_count",
        "started_at",
    ]
    list_filter = ["status"]
    search_fields = ["name", "subject"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_class = CampaignInspectView
    add_view_class = CampaignCreateView
    edit_view_class = CampaignEditView
    copy_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("subject"),
            FieldPanel("body"),
            MultiFieldPanel(
                [
                    FieldPanel("audience"),
                    FieldRowPanel([FieldPanel("rounds"), FieldPanel("pathways")]),
                    FieldPanel("statuses"),
                    FieldPanel("countries"),
                    FieldPanel("languages"),
                ],
                heading=gettext_lazy("Audience"),
            ),
        ],
        base_form_class=CampaignForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("preview-email/<int:pk>/", self.action(preview_email), name="preview_email"),
            path("preview-text/<int:pk>/", self.action(preview_text), name="preview_text"),
            path("test/<int:pk>/", self.action(test_send, post=True), name="test"),
            path("send/<int:pk>/", self.action(send_now, post=True, send=True), name="send"),
            path(
                "schedule/<int:pk>/", self.action(schedule, post=True, send=True), name="schedule"
            ),
            path(
                "unschedule/<int:pk>/",
                self.action(unschedule, post=True, send=True),
                name="unschedule",
            ),
            path("cancel/<int:pk>/", self.action(cancel, post=True, send=True), name="cancel"),
            path("resend/<int:pk>/", self.action(resend, post=True, send=True), name="resend"),
            path(
                "mark-sent/<int:pk>/",
                self.action(mark_sent, post=True, send=True),
                name="mark_sent",
            ),
        ]

    def action(self, view, post: bool = False, send: bool = False):
        """Wrap an action on one campaign with its permission check."""

        def wrapped(request, pk: int):
            user = request.user
            if send:
                allowed = user.has_perm("campaigns.send_campaign")
            else:
                allowed = user.has_perm("campaigns.view_campaign") or user.has_perm(
                    "campaigns.change_campaign"
                )
            if not allowed:
                raise PermissionDenied
            campaign = get_object_or_404(Campaign, pk=pk)
            response = view(request, campaign)
            if response is not None:
                return response
            return redirect(campaign_url("inspect", campaign))

        return require_POST(wrapped) if post else wrapped


def preview_email(request, campaign: Campaign) -> HttpResponse:
    _subject, _text, page = rendering.preview(campaign)
    return HttpResponse(page)


def preview_text(request, campaign: Campaign) -> HttpResponse:
    _subject, text, _page = rendering.preview(campaign)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


def test_send(request, campaign: Campaign) -> None:
    form = TestSendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid email address for the test."))
        return
    if not len(campaign.body):
        messages.error(request, _("The campaign has no content yet."))
        return
    sending.send_test(campaign, form.cleaned_data["to"])
    messages.success(
        request, _("A test message is on its way to %(to)s.") % {"to": form.cleaned_data["to"]}
    )


def _confirmation(request, campaign: Campaign, **context) -> TemplateResponse:
    return TemplateResponse(
        request,
        "campaigns/admin/confirm.html",
        {"campaign": campaign, "back_url": campaign_url("inspect", campaign), **context},
    )


def _audience_problem(campaign: Campaign, count: segments.Count) -> str:
    """Why the campaign cannot go to its audience as it stands, or ""."""
    if not len(campaign.body):
        return _("The campaign has no content yet.")
    if not count.recipients:
        return _("Nobody is in this campaign's audience.")
    if count.without_page and rendering.uses_personal_link(campaign):
        return rendering.without_page_message(count.without_page)
    return ""


def send_now(request, campaign: Campaign) -> HttpResponse | None:
    """First a confirmation naming the number of recipients; nothing is queued before it."""
    if not campaign.editable:
        messages.warning(request, _("This campaign has already started."))
        return None
    if request.POST.get("confirm") != "1":
        count = segments.count(campaign)
        return _confirmation(
            request,
            campaign,
            title=_("Send now"),
            problem=_audience_problem(campaign, count),
            question=ngettext(
                "Send “%(subject)s” now to %(n)d recipient?",
                "Send “%(subject)s” now to %(n)d recipients?",
                count.recipients,
            )
            % {"subject": campaign.subject, "n": count.recipients},
            confirm_label=ngettext(
                "Yes, send to %(n)d recipient", "Yes, send to %(n)d recipients", count.recipients
            )
            % {"n": count.recipients},
            action_url=campaign_url("send", campaign),
            hidden=[],
        )
    try:
        started = sending.start(campaign.pk)
    except sending.CampaignError as error:
        messages.error(request, str(error))
        return None
    if started:
        campaign.refresh_from_db()
        messages.success(
            request,
            _("Sending to %(count)d recipients has started.") % {"count": campaign.recipient_count},
        )
    else:
        messages.warning(request, _("This campaign has already started."))
    return None


def schedule(request, campaign: Campaign) -> HttpResponse | None:
    """First a confirmation naming the time and the number of recipients counted now."""
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and time to send at."))
        return None
    when = form.cleaned_data["when"]
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if not len(campaign.body):
        messages.error(request, _("The campaign has no content yet."))
        return None
    if when <= timezone.now():
        messages.error(request, _("The time to send must be in the future."))
        return None
    shown = timezone.localtime(when).strftime("%Y-%m-%d %H:%M %Z")
    if request.POST.get("confirm") != "1":
        count = segments.count(campaign)
        return _confirmation(
            request,
            campaign,
            title=_("Send at"),
            problem=_audience_problem(campaign, count),
            question=ngettext(
                "Send “%(subject)s” on %(when)s to %(n)d recipient (counted now; the audience "
                "is counted again when it goes)?",
                "Send “%(subject)s” on %(when)s to %(n)d recipients (counted now; the audience "
                "is counted again when it goes)?",
                count.recipients,
            )
            % {"subject": campaign.subject, "when": shown, "n": count.recipients},
            confirm_label=_("Yes, schedule it"),
            action_url=campaign_url("schedule", campaign),
            hidden=[("when", request.POST.get("when", ""))],
        )
    try:
        sending.schedule(campaign, when)
    except sending.CampaignError as error:
        messages.error(request, str(error))
        return None
    messages.success(request, _("The campaign will be sent on %(when)s.") % {"when": shown})
    return None


def unschedule(request, campaign: Campaign) -> None:
    sending.unschedule(campaign)
    messages.success(request, _("The campaign is a draft again; it will not be sent."))


def cancel(request, campaign: Campaign) -> None:
    left = sending.cancel(campaign)
    messages.success(
        request, _("The campaign is stopped; %(count)d messages were not sent.") % {"count": left}
    )


def _selected(request) -> list[int] | None:
    ids = [int(pk) for pk in request.POST.getlist("message") if pk.isdigit()]
    return ids or None


def resend(request, campaign: Campaign) -> HttpResponse | None:
    """Sending again what is in doubt may give some people a second copy: a confirmation
    says so first."""
    selected = _selected(request)
    if request.POST.get("confirm") != "1":
        rows = sending.in_doubt(campaign)
        if selected is not None:
            rows = rows.filter(pk__in=selected)
        count = rows.count()
        return _confirmation(
            request,
            campaign,
            title=_("Send again"),
            problem="" if count else _("No message is in doubt."),
            question=ngettext(
                "Send the message again to %(n)d recipient whose message is in doubt?",
                "Send the message again to %(n)d recipients whose messages are in doubt?",
                count,
            )
            % {"n": count},
            warning=_(
                "A message in doubt may have arrived already: whoever got it will receive it "
                "twice. Check the email provider's log first if you can, and mark those as "
                "sent instead."
            ),
            danger=True,
            confirm_label=_("Yes, send again"),
            action_url=campaign_url("resend", campaign),
            hidden=[("message", pk) for pk in selected or []],
        )
    count = sending.resend(campaign, selected)
    messages.success(request, _("%(count)d messages will be sent again.") % {"count": count})
    return None


def mark_sent(request, campaign: Campaign) -> None:
    count = sending.mark_sent(campaign, _selected(request))
    messages.success(request, _("%(count)d messages marked as sent.") % {"count": count})


class SuppressionViewSet(SnippetViewSet):
    model = Suppression
    icon = "cross"
    menu_label = gettext_lazy("Suppression list")
    menu_order = 200
    list_display = ["email_normalised", "reason", "detail", "created_at"]
    list_filter = ["reason"]
    search_fields = ["email_normalised"]
    search_backend_name = None
    copy_view_enabled = False


class ProgramEmailViewSetGroup(SnippetViewSetGroup):
    items = (CampaignViewSet, SuppressionViewSet)
    menu_icon = "mail"
    menu_label = gettext_lazy("Program email")
    menu_name = "program-email"
    menu_order = 250
