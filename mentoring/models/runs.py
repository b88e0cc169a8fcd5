"""Matching runs: the hard pair rules a run obeys, the runs themselves, and the pairs and
unmatched people they propose."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from mentoring.models.applications import Application
from mentoring.models.partnerships import Partnership
from mentoring.models.rounds import Round


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
