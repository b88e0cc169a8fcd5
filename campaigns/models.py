"""Program email: campaigns to a segment of the people the program knows, one delivery row
per recipient, and the suppression list every bulk message respects."""

from django.conf import settings
from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import PreviewableMixin

from campaigns.blocks import CampaignStreamBlock
from mentoring.normalise import normalise_email


class Campaign(PreviewableMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        # Every message has left but some were in flight when a worker stopped: the provider's
        # events or a person settle them before the campaign counts as sent.
        IN_DOUBT = "in_doubt", _("Sent, some in doubt")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    class Audience(models.TextChoices):
        APPLICANTS = "applicants", _("Applicants and participants")
        INTEREST_LIST = "interest_list", _("The expression-of-interest list")

    name = models.CharField(
        _("name"), max_length=150, help_text=_("For the team only; recipients see the subject.")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = StreamField(CampaignStreamBlock(), verbose_name=_("body"))

    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.APPLICANTS
    )
    rounds = models.ManyToManyField(
        "mentoring.Round",
        blank=True,
        related_name="+",
        verbose_name=_("rounds"),
        help_text=_("Applicants only. None chosen: every round."),
    )
    statuses = models.JSONField(_("application statuses"), default=list, blank=True)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    pathways = models.ManyToManyField(
        "mentoring.Pathway",
        blank=True,
        related_name="+",
        verbose_name=_("partner pathways"),
        help_text=_("Applicants only. None chosen: with or without a pathway."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    scheduled_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    subject_snapshot = models.CharField(max_length=200, blank=True, editable=False)
    html_snapshot = models.TextField(blank=True, editable=False)
    text_snapshot = models.TextField(blank=True, editable=False)
    lease_token = models.CharField(max_length=32, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A driver that must wait (the daily budget is spent, the mail server refused) leaves the
    # campaign until then; beat's dispatcher resumes it, no task waits in the broker.
    resume_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("subject"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldRowPanel([FieldPanel("rounds"), FieldPanel("pathways")]),
                FieldPanel("statuses"),
                FieldRowPanel([FieldPanel("countries"), FieldPanel("languages")]),
            ],
            heading=_("Audience"),
        ),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        permissions = [("send_campaign", _("Can send campaigns"))]

    def __str__(self) -> str:
        return self.name

    @property
    def editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.SCHEDULED}

    @property
    def preview_modes(self):
        return [("html", _("Email")), ("text", _("Plain text"))]

    def serve_preview(self, request, mode_name):
        from campaigns.rendering import preview

        _subject, text, page = preview(self)
        if mode_name == "text":
            return HttpResponse(text, content_type="text/plain; charset=utf-8")
        return HttpResponse(page)


class Delivery(models.Model):
    """What happened to one outbound email after it left: the provider's id and events.
    Campaign messages get theirs when the campaign starts; other mail when the provider
    reports on it."""

    outbound = models.OneToOneField(
        "website.OutboundEmail", on_delete=models.CASCADE, related_name="delivery"
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    email_normalised = models.CharField(max_length=254, db_index=True)
    provider_message_id = models.CharField(max_length=200, blank=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    complained_at = models.DateTimeField(_("complained"), null=True, blank=True)
    opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    clicked_at = models.DateTimeField(_("first clicked"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    opens = models.PositiveIntegerField(_("opens"), default=0)
    clicks = models.PositiveIntegerField(_("clicks"), default=0)
    last_event = models.CharField(_("last event"), max_length=20, blank=True)
    last_event_at = models.DateTimeField(_("last event at"), null=True, blank=True)
    last_event_detail = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "email_normalised"], name="one_delivery_per_campaign_address"
            )
        ]

    def __str__(self) -> str:
        return self.email_normalised


class Suppression(models.Model):
    """An address no bulk message goes to: a hard bounce, a complaint, an unsubscribe or a
    person's decision. Transactional mail (verification, introductions) still goes."""

    class Reason(models.TextChoices):
        BOUNCE = "bounce", _("Hard bounce")
        COMPLAINT = "complaint", _("Spam complaint")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribed")
        MANUAL = "manual", _("Added by the team")

    email_normalised = models.CharField(_("email"), max_length=254, unique=True)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    panels = [FieldPanel("email_normalised"), FieldPanel("reason"), FieldPanel("detail")]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppression list")

    def __str__(self) -> str:
        return self.email_normalised

    def save(self, *args, **kwargs) -> None:
        self.email_normalised = normalise_email(self.email_normalised)
        super().save(*args, **kwargs)
