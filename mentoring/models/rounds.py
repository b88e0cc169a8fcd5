"""Mentoring rounds and the people in them: rounds and their partner pathways, the
expression-of-interest list, applications, partnerships, and the barred list."""

import itertools
import uuid
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from timezone_field import TimeZoneField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from mentoring.choices import CareerStage, Sector, Wish
from mentoring.matching.features import MAX_INTERESTS
from mentoring.normalise import normalise_email
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


class Person(models.Model):
    """Someone who has applied, identified by their normalised email across rounds."""

    email_normalised = models.CharField(max_length=254, unique=True)
    inactive_in_round = models.ForeignKey(
        Round,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The last round in which this person left their partner without reply."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.email_normalised


class ApplicationQuerySet(models.QuerySet):
    def in_pool(self) -> "ApplicationQuerySet":
        """Confirmed applicants: the only ones who go to matching."""
        return self.filter(status=Application.Status.CONFIRMED)


class Application(ClusterableModel):
    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Email not verified")
        VERIFIED = "verified", _("Verified")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        MATCHED = "matched", _("Matched")
        UNMATCHED = "unmatched", _("Not matched")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DUPLICATE = "duplicate", _("Duplicate")
        REMOVED = "removed", _("Removed under the code of conduct")

    PARTICIPANT_STATUSES = (Status.MATCHED,)

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="applications", verbose_name=_("round")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="applications")
    pathway = models.ForeignKey(
        Pathway,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        verbose_name=_("pathway"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNVERIFIED, db_index=True
    )

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), max_length=254)
    email_normalised = models.CharField(max_length=254, db_index=True, editable=False)
    country = CountryField(_("country of residence"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    time_zone = TimeZoneField(_("time zone"), default="UTC")
    sector = models.CharField(_("library sector"), max_length=20, choices=Sector.choices)
    role = models.CharField(_("role"), max_length=150)
    career_stage = models.CharField(_("career stage"), max_length=10, choices=CareerStage.choices)
    years_experience = models.PositiveSmallIntegerField(
        _("years of experience"), validators=[MaxValueValidator(70)]
    )
    languages = models.JSONField(_("languages besides English"), default=list, blank=True)
    interests = ParentalManyToManyField(
        Interest, blank=True, related_name="applications", verbose_name=_("areas of interest")
    )
    wants_sector = models.CharField(
        _("partner's sector"), max_length=10, choices=Wish.choices, default=Wish.ANY
    )
    wanted_sectors = models.JSONField(_("sectors wanted"), default=list, blank=True)
    wants_career_stage = models.CharField(
        _("partner's career stage"), max_length=10, choices=Wish.choices, default=Wish.ANY
    )
    preferred_regions = models.JSONField(_("regions to prefer"), default=list, blank=True)
    availability = models.JSONField(_("availability"), default=list, blank=True)
    special_requests = models.TextField(_("special requests"), max_length=2000, blank=True)

    agreed_code_of_conduct_at = models.DateTimeField(_("agreed to the code of conduct"))
    agreed_requirements_at = models.DateTimeField(_("agreed to the participation requirements"))
    consent_version = models.CharField(_("version of the texts agreed to"), max_length=100)

    verified_at = models.DateTimeField(_("email verified"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("waitlisted"), null=True, blank=True)
    rolled_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rolled_into",
        help_text=_("The waitlisted application of an earlier round this one continues."),
    )
    suspected_duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("possible duplicate of"),
    )
    partnership = models.ForeignKey(
        "Partnership", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    access_key = models.UUIDField(default=uuid.uuid4, editable=False)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("round", read_only=True), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("name"), FieldPanel("email")]),
        FieldRowPanel([FieldPanel("country"), FieldPanel("city"), FieldPanel("time_zone")]),
        FieldRowPanel([FieldPanel("sector"), FieldPanel("role")]),
        FieldRowPanel([FieldPanel("career_stage"), FieldPanel("years_experience")]),
        FieldPanel("interests"),
        FieldRowPanel([FieldPanel("wants_sector"), FieldPanel("wants_career_stage")]),
        FieldPanel("pathway"),
        FieldPanel("special_requests"),
        FieldPanel("suspected_duplicate_of"),
    ]

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "email_normalised"], name="one_application_per_email_per_round"
            ),
        ]
        indexes = [models.Index(fields=["round", "status", "country"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.round})"

    def save(self, *args, **kwargs) -> None:
        if self.email and not self.erased_at:
            self.email_normalised = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def previously_inactive(self) -> bool:
        """This person left a partner without reply in an earlier round."""
        inactive = self.person.inactive_in_round_id
        return bool(inactive and inactive != self.round_id)

    @property
    def is_participant(self) -> bool:
        return self.status in self.PARTICIPANT_STATUSES

    def interest_names(self) -> str:
        """The areas of interest as one line, for exports."""
        return ", ".join(interest.name for interest in self.interests.all())

    def partners(self) -> list["Application"]:
        if not self.partnership_id:
            return []
        return [
            member
            for member in self.partnership.members.all()
            if member.pk != self.pk and member.status != Application.Status.REMOVED
        ]

    def personal_page_url(self) -> str:
        from mentoring.links import personal_page_url

        return personal_page_url(self)


class Partnership(models.Model):
    """A pair (or a triad) of participants of one round."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="partnerships")
    score = models.DecimalField(_("match score"), max_digits=4, decimal_places=1, default=0)
    reasons = models.JSONField(_("reasons"), default=dict, blank=True)
    published_at = models.DateTimeField(_("introduced"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    flagged_at = models.DateTimeField(
        _("flagged"),
        null=True,
        blank=True,
        help_text=_("Set when a member withdrew, reported silence, or did not answer."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return " & ".join(member.name for member in self.members.all()) or f"#{self.pk}"


class UnresponsiveReport(models.Model):
    """A participant says their partner does not answer."""

    reporter = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reports_made")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reports")
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unresponsive partner report")
        verbose_name_plural = _("unresponsive partner reports")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "partnership"], name="one_report_per_partnership"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reporter.name}: {self.created_at:%Y-%m-%d}"


class InterestedPerson(models.Model):
    """Someone on the expression-of-interest list, emailed when the next round opens."""

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), max_length=254)
    email_normalised = models.CharField(max_length=254, unique=True, editable=False)
    country = CountryField(_("country"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    access_key = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    panels = [FieldPanel("name"), FieldPanel("email"), FieldPanel("country")]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expression-of-interest list")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def save(self, *args, **kwargs) -> None:
        self.email_normalised = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def on_list(self) -> bool:
        return bool(self.confirmed_at and not self.unsubscribed_at)


class BarredEmail(models.Model):
    """A person removed under the code of conduct: they cannot apply again."""

    email_normalised = models.CharField(_("email"), max_length=254, unique=True)
    reason = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    panels = [FieldPanel("email_normalised"), FieldPanel("reason"), FieldPanel("decided_at")]

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("barred person")
        verbose_name_plural = _("barred people")

    def __str__(self) -> str:
        return self.email_normalised

    def save(self, *args, **kwargs) -> None:
        self.email_normalised = normalise_email(self.email_normalised)
        super().save(*args, **kwargs)


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


class PairRule(models.Model):
    """A special request turned into a hard rule: a pair to keep, or one never to form."""

    class Kind(models.TextChoices):
        PINNED = "pinned", _("Pinned: always pair these two")
        FORBIDDEN = "forbidden", _("Forbidden: never pair these two")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="pair_rules")
    first = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="+", verbose_name=_("first person")
    )
    second = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="+", verbose_name=_("second person")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("round"),
        FieldPanel("first"),
        FieldPanel("second"),
        FieldPanel("kind"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("pair rule")
        verbose_name_plural = _("pair rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.first.name} & {self.second.name}"

    def clean(self) -> None:
        super().clean()
        if self.first_id and self.first_id == self.second_id:
            raise ValidationError(_("Choose two different people."))
        people = Application.objects.filter(pk__in=[self.first_id, self.second_id])
        for person in people:
            if self.round_id and person.round_id != self.round_id:
                raise ValidationError(_("Both people must have applied to this round."))


class MatchRun(models.Model):
    """One run of the matching engine on a round's pool. Its proposals are written together
    with its DONE status in one transaction: a run is there whole, or not at all."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready for review")
        FAILED = "failed", _("Failed")
        APPROVING = "approving", _("Being approved")
        APPROVED = "approved", _("Approved")

    class Kind(models.TextChoices):
        ROUND = "round", _("Round matching")
        REMATCH = "rematch", _("Re-matching")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="match_runs")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ROUND)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0)
    message = models.CharField(max_length=200, blank=True)
    seed = models.PositiveIntegerField(default=0)
    hierarchy = models.JSONField(default=list)
    hard_criteria = models.JSONField(default=list)
    odd_pool = models.CharField(max_length=10, default="triad")
    requested_pool = models.JSONField(
        default=list, blank=True, help_text="Re-matching: the applications to match."
    )
    pool_size = models.PositiveIntegerField(default=0)
    total = models.FloatField(null=True, blank=True)
    upper_bound = models.FloatField(null=True, blank=True)
    ratio = models.FloatField(null=True, blank=True)
    worst_pair = models.FloatField(null=True, blank=True)
    pairs_below_50 = models.PositiveIntegerField(null=True, blank=True)
    unmatched_count = models.PositiveIntegerField(null=True, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "website.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker running it renews the lease from a heartbeat; a run whose lease lapsed lost
    # its worker, and beat queues it again (see services.recovery).
    lease_token = models.CharField(max_length=32, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "website.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")

    def __str__(self) -> str:
        return f"{self.round} · {self.get_kind_display()} #{self.pk}"

    @property
    def gap_percent(self) -> float | None:
        if self.ratio is None:
            return None
        return round((1 - self.ratio) * 100, 3)


class ProposedPair(models.Model):
    """A pair (or triad, with `third`) a run proposes, with its score and reasons."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="pairs")
    first = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    third = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField()
    reasons = models.JSONField(default=dict)
    pinned = models.BooleanField(default=False)
    adjusted = models.BooleanField(default=False)
    warnings = models.JSONField(default=list, blank=True)
    partnership = models.OneToOneField(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
        help_text=_("The partnership its approval made; a pair without one is still to approve."),
    )

    class Meta:
        ordering = ["score"]

    def __str__(self) -> str:
        return " & ".join(m.name for m in self.members)

    @property
    def members(self) -> list[Application]:
        return [m for m in (self.first, self.second, self.third) if m is not None]


class ProposedUnmatched(models.Model):
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="unmatched")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=30)

    def __str__(self) -> str:
        return f"{self.application.name}: {self.reason}"


class CheckIn(models.Model):
    """The "have you heard from your partner?" question on days 7 and 14 of a round."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="check_ins")
    day = models.PositiveSmallIntegerField()
    heard_from_partner = models.BooleanField(null=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "day"], name="one_check_in_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.application.name}, day {self.day}"
