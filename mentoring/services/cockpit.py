"""The round cockpit: where a round stands (counts at each stage of its pipeline, from a few
aggregate queries) and the one step that comes next, with the directors' actions that are
not part of a single application: the country cap, asking for confirmations, check-ins,
re-matching, and ending or flagging partnerships. Every action is safe to repeat."""

from dataclasses import dataclass
from enum import StrEnum, nonmember

from django.db import transaction
from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.models import (
    Application,
    CheckIn,
    MatchRun,
    Partnership,
    ProposedPair,
    Round,
    RoundStatus,
    UnresponsiveReport,
)
from mentoring.services import checkins, rounds, runs
from website.models import OutboundEmail

MIN_REMATCH_POOL = 2


class CockpitError(Exception):
    """A cockpit action that cannot be done now; the message says why."""

    message = _("This cannot be done now.")

    def __init__(self, message=None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int


def _keys_for(round: Round, prefix: str):
    """The outbox keys `prefix<application id>` of the round's applications, as a subquery."""
    return (
        Application.objects.filter(round=round)
        .annotate(outbox_key=Concat(Value(prefix), Cast("pk", CharField())))
        .values("outbox_key")
    )


def pipeline(round: Round) -> list[Stage]:
    """The round's counts, stage by stage; 0 where a stage has no data yet."""
    Status = Application.Status
    apps = Application.objects.filter(round=round).aggregate(
        applied=Count("pk"),
        verified=Count("pk", filter=Q(verified_at__isnull=False)),
        over_cap=Count("pk", filter=Q(status=Status.WAITLISTED, confirmed_at__isnull=True)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        matched=Count("pk", filter=Q(status=Status.MATCHED)),
    )
    asked = OutboundEmail.objects.filter(key__in=_keys_for(round, "confirm-request:")).count()
    partnerships = Partnership.objects.filter(round=round).aggregate(
        introduced=Count("pk", filter=Q(published_at__isnull=False)),
    )
    checked_in = (
        CheckIn.objects.filter(application__round=round, answered_at__isnull=False)
        .values("application")
        .distinct()
        .count()
    )
    reported = UnresponsiveReport.objects.filter(partnership__round=round).count()
    rematched = ProposedPair.objects.filter(
        run__round=round, run__kind=MatchRun.Kind.REMATCH, run__status=MatchRun.Status.APPROVED
    ).count()
    surveyed = OutboundEmail.objects.filter(key__in=_keys_for(round, "survey:")).count()
    return [
        Stage("applied", _("Applied"), apps["applied"]),
        Stage("verified", _("Verified their email"), apps["verified"]),
        Stage("over_cap", _("Over the country cap"), apps["over_cap"]),
        Stage("waitlisted", _("Waitlisted"), apps["waitlisted"]),
        Stage("asked", _("Asked to confirm"), asked),
        Stage("confirmed", _("Confirmed"), apps["confirmed"]),
        Stage("matched", _("Matched"), apps["matched"]),
        Stage("introduced", _("Partnerships introduced"), partnerships["introduced"]),
        Stage("checked_in", _("Answered a check-in"), checked_in),
        Stage("reported", _("Reported a silent partner"), reported),
        Stage("rematched", _("Re-matched pairs"), rematched),
        Stage("surveyed", _("Sent the survey"), surveyed),
    ]


class Step(StrEnum):
    """What comes next for a round; the cockpit shows one button for it."""

    do_not_call_in_templates = nonmember(True)

    WAIT_FOR_OPENING = "wait_for_opening"
    WAIT_FOR_CLOSING = "wait_for_closing"
    APPLY_CAP = "apply_cap"
    ASK_TO_CONFIRM = "ask_to_confirm"
    RUN_MATCHING = "run_matching"
    FOLLOW_RUN = "follow_run"
    REVIEW_RUN = "review_run"
    SEND_CHECK_INS = "send_check_ins"
    REMATCH = "rematch"
    INTRODUCTIONS_SENT = "introductions_sent"
    FINISHED = "finished"


def latest_run(round: Round, kind: str = MatchRun.Kind.ROUND) -> MatchRun | None:
    return round.match_runs.filter(kind=kind).order_by("-created_at", "-pk").first()


def next_step(round: Round, now=None) -> Step:
    """The single next thing a director does for the round, from its dates and data."""
    status = round.status_at(now or timezone.now())
    if status == RoundStatus.UPCOMING:
        return Step.WAIT_FOR_OPENING
    if status == RoundStatus.APPLICATIONS_OPEN:
        return Step.WAIT_FOR_CLOSING
    if status == RoundStatus.FINISHED:
        return Step.FINISHED
    if status == RoundStatus.RUNNING:
        if len(runs.rematch_pool(round)) >= MIN_REMATCH_POOL:
            return Step.REMATCH
        return Step.SEND_CHECK_INS
    run = latest_run(round)
    if run and run.status == MatchRun.Status.APPROVED:
        return Step.INTRODUCTIONS_SENT
    if run and run.status in (MatchRun.Status.QUEUED, MatchRun.Status.RUNNING):
        return Step.FOLLOW_RUN if not runs.is_stalled(run) else Step.RUN_MATCHING
    if run and run.status == MatchRun.Status.DONE:
        return Step.REVIEW_RUN
    if status == RoundStatus.CONFIRMING:
        if not round.cap_applied_at:
            return Step.APPLY_CAP
        if awaiting_request(round):
            return Step.ASK_TO_CONFIRM
    return Step.RUN_MATCHING


def awaiting_request(round: Round) -> int:
    """Verified applicants who have not been asked to confirm yet."""
    asked = OutboundEmail.objects.filter(key__in=_keys_for(round, "confirm-request:"))
    return (
        rounds.awaiting_confirmation(round)
        .annotate(outbox_key=Concat(Value("confirm-request:"), Cast("pk", CharField())))
        .exclude(outbox_key__in=asked.values("key"))
        .count()
    )


def apply_cap(round: Round) -> int:
    """Apply the country cap now (once per round). Returns how many went to the waitlist."""
    if round.status not in (RoundStatus.CONFIRMING, RoundStatus.MATCHING):
        raise CockpitError(_("The country cap is applied once applications have closed."))
    return len(rounds.apply_country_cap(round))


def ask_to_confirm(round: Round) -> int:
    """Ask every verified applicant not yet asked to confirm. Returns how many were asked."""
    if round.status != RoundStatus.CONFIRMING:
        raise CockpitError(_("Applicants can only be asked to confirm before the deadline."))
    count = awaiting_request(round)
    rounds.request_confirmations(round)
    return count


def send_check_ins(round: Round) -> None:
    if round.status != RoundStatus.RUNNING:
        raise CockpitError(_("Check-ins are sent while the round is running."))
    now = timezone.now()
    checkins.send_check_ins(round, now)
    checkins.flag_silence(round, now)


def start_rematch(round: Round, user=None) -> MatchRun:
    """Match again the people waiting for a new partner; while a re-match of the round is
    still waiting for approval, that run is returned instead of starting another."""
    pending = (
        round.match_runs.filter(kind=MatchRun.Kind.REMATCH)
        .exclude(status__in=(MatchRun.Status.APPROVED, MatchRun.Status.FAILED))
        .first()
    )
    if pending and not runs.is_stalled(pending):
        return pending
    pool = runs.rematch_pool(round)
    if round.status != RoundStatus.RUNNING or len(pool) < MIN_REMATCH_POOL:
        raise CockpitError(_("Fewer than two people are waiting for a new partner."))
    return runs.start_run(round, user, kind=MatchRun.Kind.REMATCH, pool_ids=pool)


def waiting_for_partner(round: Round) -> list[Application]:
    """The re-match pool with each person's report notes (`notes`), by name."""
    pool = (
        Application.objects.filter(pk__in=runs.rematch_pool(round))
        .prefetch_related("reports_made")
        .order_by("name")
    )
    people = list(pool)
    for person in people:
        person.notes = [report.note for report in person.reports_made.all() if report.note]
    return people


def flag_for_rematch(partnership: Partnership) -> bool:
    """Put the partnership's members who are still in into the re-match pool."""
    if partnership.ended_at:
        raise CockpitError(_("This partnership has ended."))
    return bool(
        Partnership.objects.filter(pk=partnership.pk, flagged_at__isnull=True).update(
            flagged_at=timezone.now()
        )
    )


def end_partnership(partnership: Partnership) -> bool:
    """End the partnership; its members are no longer active participants."""
    return bool(
        Partnership.objects.filter(pk=partnership.pk, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )
    )


def mark_inactive(partnership: Partnership, member: Application) -> bool:
    """Record that `member` left their partner without reply: later rounds see it, and the
    partnership is flagged so the partner can be re-matched."""
    if member.partnership_id != partnership.pk:
        raise CockpitError(_("This person is not in this partnership."))
    with transaction.atomic():
        person = member.person
        changed = person.inactive_in_round_id != partnership.round_id
        if changed:
            person.inactive_in_round_id = partnership.round_id
            person.save(update_fields=["inactive_in_round"])
        Partnership.objects.filter(pk=partnership.pk, flagged_at__isnull=True).update(
            flagged_at=timezone.now()
        )
    return changed
