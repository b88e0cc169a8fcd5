"""Surveys and their responses.

A survey belongs to a round and a moment (mid-round, with a send date, or the end of the
round) or is a standalone public survey at its own address; a template (the partner
satisfaction set) is only ever copied. A response is one person's answers to one survey,
with what analysis needs copied beside them (round, pathway, country, sector, partnership,
matching method), so that it still counts after the person's data is erased."""

from datetime import date, datetime, time, timedelta
from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField

from surveys.blocks import SectionBlock
from surveys.definition import Definition, from_stream

DEFAULT_OPEN_DAYS = 21


class Survey(models.Model):
    class Kind(models.TextChoices):
        ROUND = "round", _("For a round's participants")
        PUBLIC = "public", _("Public: anyone with the address, anonymously")

    class Moment(models.TextChoices):
        MID_ROUND = "mid_round", _("Mid-round (on the send date)")
        END_OF_ROUND = "end_of_round", _("End of round")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ROUND)
    round = models.ForeignKey(
        "mentoring.Round",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("round"),
    )
    moment = models.CharField(_("moment"), max_length=15, choices=Moment.choices, blank=True)
    send_on = models.DateField(
        _("send on"),
        null=True,
        blank=True,
        help_text=_(
            "Mid-round surveys: the day participants get their link. End-of-round surveys go "
            "out on the round's last day unless a date is given."
        ),
    )
    closes_on = models.DateField(
        _("closes after"),
        null=True,
        blank=True,
        help_text=_(
            "The last day answers can be given or changed. Empty: three weeks after sending "
            "(a public survey stays open)."
        ),
    )
    slug = models.SlugField(
        _("address"),
        max_length=80,
        blank=True,
        help_text=_("Public surveys: the last part of their address, /surveys/<address>/."),
    )
    is_template = models.BooleanField(
        _("template"),
        default=False,
        help_text=_("A template is never sent: copy it for a round."),
    )
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField([("section", SectionBlock())], verbose_name=_("sections"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldRowPanel([FieldPanel("round", widget=forms.Select), FieldPanel("moment")]),
                FieldRowPanel([FieldPanel("send_on"), FieldPanel("closes_on")]),
                FieldPanel("slug"),
                FieldPanel("is_template"),
            ],
            heading=_("Who answers, and when"),
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        permissions = [
            ("view_survey_results", _("Can read a survey's answers and export them")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=~models.Q(slug=""), name="unique_public_survey_slug"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @cached_property
    def definition(self) -> Definition:
        return from_stream(self.body)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.kind == self.Kind.ROUND and not self.is_template:
            if not self.round_id:
                errors.setdefault("round", []).append(_("Choose the round it is for."))
            if not self.moment:
                errors.setdefault("moment", []).append(_("Choose when it is sent."))
            if self.moment == self.Moment.MID_ROUND and not self.send_on:
                errors.setdefault("send_on", []).append(_("A mid-round survey needs a send date."))
        if self.kind == self.Kind.PUBLIC:
            # A public survey is answered by anyone: it belongs to no round and is never
            # sent, so its answers can never be counted among a round's figures.
            self.round = None
            self.moment = ""
            self.send_on = None
            if not self.slug and not self.is_template:
                errors.setdefault("slug", []).append(_("A public survey needs an address."))
        if (
            self.kind == self.Kind.ROUND
            and not self.is_template
            and self.round_id
            and self.moment == self.Moment.END_OF_ROUND
            and Survey.objects.exclude(pk=self.pk)
            .filter(
                kind=self.Kind.ROUND,
                is_template=False,
                round_id=self.round_id,
                moment=self.Moment.END_OF_ROUND,
            )
            .exists()
        ):
            # The round's satisfaction figures count each person once, from this survey.
            errors.setdefault("moment", []).append(
                _("This round already has an end-of-round survey.")
            )
        if self.slug and Survey.objects.exclude(pk=self.pk).filter(slug=self.slug).exists():
            errors.setdefault("slug", []).append(_("Another survey has this address."))
        if self.closes_on and self.send_date and self.closes_on < self.send_date:
            errors.setdefault("closes_on", []).append(_("It must close after it is sent."))
        problems = from_stream(self.body).problems()
        if problems:
            # One message: the StreamField shows the first error of its list only.
            errors["body"] = [" ".join(problems)]
        if errors:
            raise ValidationError(errors)

    @property
    def send_date(self) -> date | None:
        """The day the round's participants get their link (None: never sent)."""
        if self.kind != self.Kind.ROUND or self.is_template or not self.round_id:
            return None
        if self.send_on:
            return self.send_on
        if self.moment == self.Moment.END_OF_ROUND:
            return self.round.ends_on
        return None

    @property
    def opens_at(self) -> datetime | None:
        if self.kind == self.Kind.PUBLIC:
            return None
        day = self.send_date
        return _start_of(day) if day else None

    @property
    def closes_at(self) -> datetime | None:
        """The moment answers stop being taken or changed (None: open)."""
        if self.closes_on:
            return _start_of(self.closes_on + timedelta(days=1))
        day = self.send_date
        if day:
            return _start_of(day + timedelta(days=DEFAULT_OPEN_DAYS + 1))
        return None

    def is_open(self, now: datetime | None = None) -> bool:
        if self.is_template or not len(self.body):
            return False
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


class MatchingMethod(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic")
    BY_HAND = "by hand", _("Placed by hand")


class SurveyResponse(models.Model):
    """One person's answers to one survey (anonymous for a public survey, or once erased)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    application = models.ForeignKey(
        "mentoring.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    round = models.ForeignKey(
        "mentoring.Round", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pathway = models.ForeignKey(
        "mentoring.Pathway", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    sector = models.CharField(_("sector"), max_length=20, blank=True)
    partnership = models.ForeignKey(
        "mentoring.Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    matching_method = models.CharField(
        _("matching method"), max_length=10, choices=MatchingMethod.choices, blank=True
    )
    answers = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "application"],
                condition=models.Q(application__isnull=False),
                name="one_survey_response_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"
