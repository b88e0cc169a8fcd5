"""Rounds and what they are made of: their dates and status, the partner organisations and
their pathways into a round, the areas of interest, and the texts applicants agree to."""

import itertools
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from mentoring.matching.features import MAX_INTERESTS
from website.models import SharedCacheSiteSetting


def default_hierarchy() -> list[dict]:
    from mentoring.matching.hierarchy import DEFAULT_WEIGHTS

    return [
        {"criterion": str(criterion), "weight": weight} for criterion, weight in DEFAULT_WEIGHTS
    ]


class RoundStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    APPLICATIONS_OPEN = "applications_open", _("Applications open")
    CONFIRMING = "confirming", _("Confirming")
    MATCHING = "matching", _("Matching")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class RoundQuerySet(models.QuerySet):
    def applications_open(self, now: datetime | None = None) -> "RoundQuerySet":
        now = now or timezone.now()
        return self.filter(application_opens_at__lte=now, application_closes_at__gt=now)

    def not_finished(self, today: date | None = None) -> "RoundQuerySet":
        return self.filter(ends_on__gte=today or timezone.localdate())


class Round(ClusterableModel):
    """A round of the program. Its status follows from its dates alone."""

    class TopicFrequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        FORTNIGHTLY = "fortnightly", _("Fortnightly")

    class OddPool(models.TextChoices):
        TRIAD = "triad", _("The last person joins a pair as a triad")
        WAITLIST = "waitlist", _("The last person goes to the waitlist")

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    application_opens_at = models.DateTimeField(_("applications open"))
    application_closes_at = models.DateTimeField(_("applications close"))
    confirmation_deadline = models.DateTimeField(_("confirmation deadline"))
    matching_date = models.DateTimeField(_("matching date"))
    starts_on = models.DateField(_("partnerships start"))
    ends_on = models.DateField(_("partnerships end"))
    topic_frequency = models.CharField(
        _("topic schedule"),
        max_length=12,
        choices=TopicFrequency.choices,
        default=TopicFrequency.FORTNIGHTLY,
    )
    country_cap_percent = models.PositiveSmallIntegerField(
        _("per-country cap (%)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "No country may have more than this share of the round's verified applicants; "
            "later applicants from that country go to the waitlist for the next round."
        ),
    )
    odd_pool = models.CharField(
        _("odd pool"), max_length=10, choices=OddPool.choices, default=OddPool.TRIAD
    )
    hierarchy = models.JSONField(
        _("decision hierarchy"),
        default=default_hierarchy,
        blank=True,
        help_text=_("Criteria in order of importance, each with a weight."),
    )
    hard_criteria = models.JSONField(
        _("hard criteria"),
        default=list,
        blank=True,
        help_text=_("Criteria that must be met: pairs that break them are never formed."),
    )
    cap_applied_at = models.DateTimeField(
        _("country cap applied"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("application_opens_at"), FieldPanel("application_closes_at")]
                ),
                FieldRowPanel([FieldPanel("confirmation_deadline"), FieldPanel("matching_date")]),
                FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            ],
            heading=_("Dates"),
        ),
        FieldRowPanel(
            [
                FieldPanel("topic_frequency"),
                FieldPanel("country_cap_percent"),
                FieldPanel("odd_pool"),
            ]
        ),
        InlinePanel("pathways", heading=_("Partner pathways"), label=_("Pathway")),
    ]

    class Meta:
        ordering = ["-application_opens_at"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        order = [
            ("application_opens_at", self.application_opens_at),
            ("application_closes_at", self.application_closes_at),
            ("confirmation_deadline", self.confirmation_deadline),
            ("matching_date", self.matching_date),
            ("starts_on", self.start_datetime if self.starts_on else None),
        ]
        errors = {}
        for (_earlier_name, earlier), (later_name, later) in itertools.pairwise(order):
            if earlier and later and later < earlier:
                errors[later_name] = _("This date must come after the one before it.")
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            errors["ends_on"] = _("The round must end after it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def start_datetime(self) -> datetime:
        return datetime.combine(self.starts_on, time.min, tzinfo=timezone.get_current_timezone())

    @property
    def end_datetime(self) -> datetime:
        return datetime.combine(
            self.ends_on + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
        )

    def status_at(self, now: datetime) -> RoundStatus:
        if now < self.application_opens_at:
            return RoundStatus.UPCOMING
        if now < self.application_closes_at:
            return RoundStatus.APPLICATIONS_OPEN
        if now < self.confirmation_deadline:
            return RoundStatus.CONFIRMING
        if now < self.start_datetime:
            return RoundStatus.MATCHING
        if now < self.end_datetime:
            return RoundStatus.RUNNING
        return RoundStatus.FINISHED

    @property
    def status(self) -> RoundStatus:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return self.status.label

    def topic_release_dates(self) -> list[date]:
        """The dates the round's discussion topics come out, from its first day."""
        step = timedelta(days=7 if self.topic_frequency == self.TopicFrequency.WEEKLY else 14)
        dates, day = [], self.starts_on
        while day <= self.ends_on:
            dates.append(day)
            day += step
        return dates


class PartnerOrganisation(models.Model):
    """An association or institution that brings its members to the program."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact address"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("country"),
        FieldPanel("website"),
        FieldPanel("contact_email"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name


class Pathway(models.Model):
    """How a partner organisation's members come into a round: with a code (or a link that
    carries it) for members-only pathways, or by saying they are members."""

    class Kind(models.TextChoices):
        MEMBERS_ONLY = "members_only", _("Members only (with a code or a link)")
        SELF_DECLARED = "self_declared", _("Self-declared membership")

    round = ParentalKey(Round, on_delete=models.CASCADE, related_name="pathways")
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="pathways",
        verbose_name=_("partner organisation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(
        _("access code"),
        max_length=40,
        blank=True,
        help_text=_("Members-only pathways: the code members type, or get in their link."),
    )

    panels = [FieldPanel("organisation"), FieldPanel("kind"), FieldPanel("code")]

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("pathway")
        verbose_name_plural = _("pathways")
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="one_pathway_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_kind_display()})"

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.MEMBERS_ONLY and not self.code.strip():
            raise ValidationError({"code": _("A members-only pathway needs an access code.")})


class Interest(models.Model):
    """An area of interest applicants choose from: a fixed list that directors can edit."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("offered on the form"), default=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("sort_order"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("area of interest")
        verbose_name_plural = _("areas of interest")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        others = Interest.objects.exclude(pk=self.pk)
        if others.count() >= MAX_INTERESTS:
            raise ValidationError(
                _(
                    "There can be at most %(max)s areas of interest, so that matching can "
                    "compare them all: rename or delete one that is no longer used."
                )
                % {"max": MAX_INTERESTS}
            )
        if others.filter(code__iexact=self.code).exists():
            raise ValidationError({"code": _("Another area of interest has this code.")})


@register_setting(icon="doc-full")
class ProgramSettings(SharedCacheSiteSetting, BaseSiteSetting):
    """The texts applicants agree to; their live revisions make the consent version."""

    code_of_conduct_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("code of conduct page"),
    )
    requirements_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("participation requirements page"),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("privacy page"),
    )

    panels = [
        FieldPanel("code_of_conduct_page"),
        FieldPanel("requirements_page"),
        FieldPanel("privacy_page"),
    ]

    class Meta:
        verbose_name = _("program texts")

    def consent_version(self) -> str:
        parts = []
        for label, page in (("coc", self.code_of_conduct_page), ("req", self.requirements_page)):
            parts.append(f"{label}:{page.pk}.{page.live_revision_id}" if page else f"{label}:-")
        return ";".join(parts)
