"""Partnerships once a run is approved, and how they are followed: reports of a silent
partner and the check-in questions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mentoring.models.applications import Application
from mentoring.models.rounds import Round


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
