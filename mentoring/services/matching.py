"""The matching of a round as jobs: running the engine as a stored run, adjusting a run by
hand, and approving it in batches, which makes the partnerships and sends each introduction
once. Rows become engine records (and results rows) in `services.adapter` only."""

import logging
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring import links
from mentoring.matching import MatchResult, match
from mentoring.models import (
    Application,
    Interest,
    MatchRun,
    Partnership,
    ProposedPair,
    ProposedUnmatched,
    Round,
)
from mentoring.services import adapter, recovery
from mentoring.services.reasons import summary_lines
from website.outbox import queue_email

logger = logging.getLogger(__name__)

APPROVAL_BATCH = 500
"""Pairs approved per transaction: a worker killed mid-way loses at most one batch's work."""


class MatchingError(Exception):
    """A matching, review or approval step refused; the message is for the director."""


def start_run(
    round: Round, user=None, kind: str = MatchRun.Kind.ROUND, pool_ids: list[int] | None = None
) -> MatchRun:
    """Queue a run of the engine with the round's current hierarchy."""
    from mentoring.tasks import run_matching

    run = MatchRun.objects.create(
        round=round,
        kind=kind,
        created_by=user,
        seed=random.SystemRandom().randrange(2**31),
        hierarchy=round.hierarchy,
        hard_criteria=round.hard_criteria,
        odd_pool=round.odd_pool,
        requested_pool=pool_ids or [],
    )
    run_matching.delay_on_commit(run.pk)
    return run


def rematch_pool(round: Round) -> list[int]:
    """People whose partnership is flagged and who are still in: they reported, answered
    "no", or their partner left; the silent partner (no answered check-in, no report) is not
    in it. The partners of someone removed under the code of conduct are in it too, though
    the removal ended their partnership. One query, whatever the pool's size."""
    partner_removed = Exists(
        Application.objects.filter(
            partnership=OuterRef("partnership"), status=Application.Status.REMOVED
        )
    )
    return list(
        Application.objects.filter(
            partnership__round=round,
            partnership__flagged_at__isnull=False,
            status=Application.Status.MATCHED,
        )
        .annotate(
            answered=Count("check_ins", filter=Q(check_ins__answered_at__isnull=False)),
            reported=Count("reports_made"),
            partner_removed=partner_removed,
        )
        .filter(
            Q(partner_removed=True)
            | Q(partnership__ended_at__isnull=True) & (Q(answered__gt=0) | Q(reported__gt=0))
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _set_progress(run_id: int, fraction: float, message: str) -> None:
    MatchRun.objects.filter(pk=run_id).update(progress=round(fraction, 3), message=message[:200])


def execute_run(run_id: int) -> None:
    """Run the engine for a queued run (or one whose worker died) and store its result whole.
    The run's lease, renewed by a heartbeat while the engine works, tells beat's recovery
    (services.recovery) that a worker is on it; a run another live worker holds is left alone.
    """
    token = recovery.new_token()
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().select_related("round").get(pk=run_id)
        if run.status not in {MatchRun.Status.QUEUED, MatchRun.Status.RUNNING}:
            return
        if run.status == MatchRun.Status.RUNNING and not recovery.lease_lapsed(run):
            return
        run.status = MatchRun.Status.RUNNING
        run.started_at = timezone.now()
        run.progress = 0
        run.message = "Building the pool"
        run.attempts += 1
        run.lease_token = token
        run.lease_expires_at = recovery.lease_until()
        run.save()
    try:
        with recovery.Heartbeat(run_id, token):
            result, applications = _compute(run)
    except Exception as error:
        logger.exception("Matching run %s failed", run_id)
        MatchRun.objects.filter(pk=run_id, lease_token=token).update(
            status=MatchRun.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
            lease_token="",
            lease_expires_at=None,
        )
        return
    _store(run, result, applications)


def _compute(run: MatchRun) -> tuple[MatchResult, dict[int, Application]]:
    applications = adapter.pool_applications(run)
    pool = [adapter.applicant_record(application) for application in applications.values()]
    rules = adapter.rules_of(run.round, set(applications))
    MatchRun.objects.filter(pk=run.pk).update(pool_size=len(pool))
    result = match(
        pool,
        adapter.hierarchy_of(run.hierarchy, run.hard_criteria),
        rules,
        seed=run.seed,
        odd=run.odd_pool,
        progress=lambda fraction, message: _set_progress(run.pk, fraction, message),
    )
    return result, applications


def _store(run: MatchRun, result: MatchResult, applications: dict[int, Application]) -> None:
    with transaction.atomic():
        locked = MatchRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != MatchRun.Status.RUNNING:
            return
        locked.pairs.all().delete()
        locked.unmatched.all().delete()
        pairs, unmatched = adapter.proposal_rows(locked, result)
        ProposedPair.objects.bulk_create(pairs, batch_size=1000)
        ProposedUnmatched.objects.bulk_create(unmatched, batch_size=1000)
        for field, value in adapter.run_figures(result).items():
            setattr(locked, field, value)
        locked.status = MatchRun.Status.DONE
        locked.progress = 1
        locked.message = "Done"
        locked.finished_at = timezone.now()
        locked.save()


def is_stalled(run: MatchRun) -> bool:
    """Running, but its worker stopped renewing the lease: it may be restarted at once."""
    return recovery.lease_lapsed(run)


# Adjusting a run by hand


@dataclass(frozen=True)
class Check:
    score: float
    reasons: dict
    warnings: list[str]


def _criterion_label(criterion: str) -> str:
    from mentoring.choices import CRITERION_LABELS

    return str(CRITERION_LABELS.get(criterion, criterion))


def _warning(rule_break: adapter.RuleBreak, first: Application, second: Application) -> str:
    if rule_break.rule == "same_country":
        return _("Both live in %(country)s.") % {"country": first.country.name}
    if rule_break.rule == "forbidden":
        return _("This pair is forbidden (a special request or a suspected duplicate).")
    if rule_break.rule == "past_partners":
        return _("They were partners in an earlier round.")
    who = first.name if rule_break.who == first.pk else second.name
    return _("It breaks a hard criterion for %(who)s: %(criterion)s.") % {
        "who": who,
        "criterion": _criterion_label(rule_break.criterion),
    }


def check_pair(run: MatchRun, first: Application, second: Application) -> Check:
    """Score a pair through the engine's public API, and say (translated) which rules it
    breaks."""
    hierarchy = adapter.hierarchy_of(run.hierarchy, run.hard_criteria)
    a, b = adapter.applicant_record(first), adapter.applicant_record(second)
    score, reasons = adapter.scored_pair(a, b, hierarchy)
    rules = adapter.rules_of(run.round, {first.pk, second.pk})
    breaks = adapter.rule_breaks(a, b, hierarchy, rules)
    return Check(
        score=score,
        reasons=reasons,
        warnings=[_warning(rule_break, first, second) for rule_break in breaks],
    )


def _editable(run: MatchRun) -> None:
    if run.status != MatchRun.Status.DONE:
        raise MatchingError(_("Only a run ready for review can be changed."))


def unpair(pair: ProposedPair) -> None:
    with transaction.atomic():
        _editable(pair.run)
        for member in pair.members:
            ProposedUnmatched.objects.create(run=pair.run, application=member, reason="manual")
        pair.delete()


def make_pair(
    run: MatchRun, first: Application, second: Application, accept_warnings: bool
) -> Check:
    """Pair two unmatched people of the run; refused if it breaks a rule unless the director
    accepts the warnings."""
    with transaction.atomic():
        _editable(run)
        waiting = run.unmatched.filter(application__in=[first, second])
        if waiting.count() != 2:
            raise MatchingError(_("Both people must be unmatched in this run."))
        check = check_pair(run, first, second)
        if check.warnings and not accept_warnings:
            return check
        waiting.delete()
        ProposedPair.objects.create(
            run=run,
            first=first,
            second=second,
            score=check.score,
            reasons=check.reasons,
            adjusted=True,
            warnings=check.warnings,
        )
    return check


def swap(first_pair: ProposedPair, second_pair: ProposedPair, accept_warnings: bool) -> list[Check]:
    """Exchange the second members of two pairs, rescoring both."""
    with transaction.atomic():
        _editable(first_pair.run)
        if first_pair.third_id or second_pair.third_id:
            raise MatchingError(_("Triads cannot be swapped; unpair them instead."))
        checks = [
            check_pair(first_pair.run, first_pair.first, second_pair.second),
            check_pair(first_pair.run, second_pair.first, first_pair.second),
        ]
        if any(check.warnings for check in checks) and not accept_warnings:
            return checks
        first_pair.second, second_pair.second = second_pair.second, first_pair.second
        for pair, check in zip((first_pair, second_pair), checks, strict=True):
            pair.score, pair.reasons, pair.warnings = check.score, check.reasons, check.warnings
            pair.adjusted = True
            pair.save()
    return checks


def refresh_totals(run: MatchRun) -> None:
    """After hand changes: the total and the tail figures follow the pairs."""
    scores = [pair.score for pair in run.pairs.all()]
    run.total = round(sum(scores), 1)
    run.ratio = run.total / run.upper_bound if run.upper_bound else None
    run.worst_pair = min(scores) if scores else None
    run.pairs_below_50 = sum(score < 50 for score in scores)
    run.unmatched_count = run.unmatched.count()
    run.save(update_fields=["total", "ratio", "worst_pair", "pairs_below_50", "unmatched_count"])


# Approval


def start_approval(run: MatchRun, user=None) -> MatchRun:
    """Mark a reviewed run as being approved and queue the approval job; the request returns
    at once and the run's progress follows the job. Asking again while it works changes
    nothing."""
    from mentoring.tasks import approve_run

    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        if run.status == MatchRun.Status.APPROVED:
            raise MatchingError(_("This run is already approved."))
        if run.status != MatchRun.Status.APPROVING:
            _editable(run)
            run.status = MatchRun.Status.APPROVING
            run.approved_by = user
            run.progress = 0
            run.message = _("Waiting for a worker")
        run.lease_expires_at = recovery.lease_until()
        run.save(update_fields=["status", "approved_by", "progress", "message", "lease_expires_at"])
        approve_run.delay_on_commit(run.pk)
    return run


def resume_approvals() -> list[int]:
    """Queue again the approvals nobody works on (their worker died, or the message was
    lost): each batch renews the run's lease, so a lapsed lease means no live worker. Two
    jobs on one run would only take turns, batch by batch. Returns the runs queued."""
    from mentoring.tasks import approve_run

    with transaction.atomic():
        lapsed = list(
            MatchRun.objects.select_for_update(skip_locked=True)
            .filter(status=MatchRun.Status.APPROVING)
            .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=timezone.now()))
            .values_list("pk", flat=True)
        )
        MatchRun.objects.filter(pk__in=lapsed).update(lease_expires_at=recovery.lease_until())
        for run_id in lapsed:
            approve_run.delay_on_commit(run_id)
    return lapsed


def approve(run: MatchRun, user=None) -> int:
    """Approve a reviewed run here and now (the demo and tests; the admin queues the job).
    Returns how many partnerships were made."""
    run = MatchRun.objects.get(pk=run.pk)
    if run.status == MatchRun.Status.APPROVED:
        return 0
    if run.status != MatchRun.Status.APPROVING:
        _editable(run)
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.APPROVING, approved_by=user
        )
    return execute_approval(run.pk)


def execute_approval(run_id: int, batch: int = APPROVAL_BATCH) -> int:
    """Make the run's pairs the round's partnerships, `batch` pairs per transaction, then
    settle the unmatched and mark the run approved. A pair's partnership is written in the
    same transaction as its introductions, so a job killed mid-way and run again goes on
    with the pairs still without one, and no introduction is queued twice. Returns how many
    partnerships this call made."""
    run = MatchRun.objects.get(pk=run_id)
    total = run.pairs.count()
    interest_names = {
        code.lower(): name for code, name in Interest.objects.values_list("code", "name")
    }
    made = 0
    while True:
        with transaction.atomic():
            run = MatchRun.objects.select_for_update().select_related("round").get(pk=run_id)
            if run.status != MatchRun.Status.APPROVING:
                return made
            pending = list(
                run.pairs.filter(partnership__isnull=True)
                .select_related(
                    "first__round",
                    "second__round",
                    "third__round",
                    "first__partnership",
                    "second__partnership",
                    "third__partnership",
                )
                .order_by("pk")[:batch]
            )
            if not pending:
                _finish_approval(run)
                return made
            _approve_batch(run, pending, interest_names)
            made += len(pending)
            done = total - run.pairs.filter(partnership__isnull=True).count()
            run.progress = round(done / total, 3) if total else 1
            run.message = _("%(done)d of %(total)d partnerships made") % {
                "done": done,
                "total": total,
            }
            run.lease_expires_at = recovery.lease_until()
            run.save(update_fields=["progress", "message", "lease_expires_at"])


def _approve_batch(run: MatchRun, pairs: list[ProposedPair], interest_names: dict) -> None:
    now = timezone.now()
    earlier = {
        member.partnership_id
        for pair in pairs
        for member in pair.members
        if member.partnership_id and member.partnership.ended_at is None
    }
    Partnership.objects.filter(pk__in=earlier).update(ended_at=now)
    partnerships = Partnership.objects.bulk_create(
        [
            Partnership(
                round=run.round,
                score=round(pair.score, 1),
                published_at=now,
                reasons={"engine": pair.reasons, "summary": summary_lines(pair, interest_names)},
            )
            for pair in pairs
        ]
    )
    members = []
    for pair, partnership in zip(pairs, partnerships, strict=True):
        pair.partnership = partnership
        for member in pair.members:
            member.partnership = partnership
            member.status = Application.Status.MATCHED
            members.append(member)
    ProposedPair.objects.bulk_update(pairs, ["partnership"])
    Application.objects.bulk_update(members, ["partnership", "status"])
    for pair in pairs:
        for member in pair.members:
            introduce(member, [m for m in pair.members if m.pk != member.pk], pair.partnership)


def _finish_approval(run: MatchRun) -> None:
    now = timezone.now()
    waitlist = Q(reason="waitlist")
    Application.objects.filter(pk__in=run.unmatched.filter(waitlist).values("application")).update(
        status=Application.Status.WAITLISTED, waitlisted_at=now
    )
    if run.kind == MatchRun.Kind.ROUND:
        Application.objects.filter(
            pk__in=run.unmatched.exclude(waitlist).values("application")
        ).update(status=Application.Status.UNMATCHED)
    run.status = MatchRun.Status.APPROVED
    run.approved_at = now
    run.progress = 1
    run.message = _("Approved")
    run.lease_expires_at = None
    run.save(update_fields=["status", "approved_at", "progress", "message", "lease_expires_at"])


def introduce(member: Application, partners: list[Application], partnership: Partnership) -> None:
    queue_email(
        f"introduction:{partnership.pk}:{member.pk}",
        member.email,
        "introduction",
        {
            "name": member.name,
            "round": member.round.name,
            "partners": [
                {
                    "name": p.name,
                    "email": p.email,
                    "country": p.country.name,
                    "sector": p.get_sector_display(),
                    "role": p.role,
                    "city": p.city,
                }
                for p in partners
            ],
            "reasons": partnership.reasons.get("summary", []),
            "page_url": links.personal_page_url(member),
            "starts": member.round.starts_on.isoformat(),
        },
    )
