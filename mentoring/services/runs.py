"""The matching run job: queue a run of the engine on a round's pool (or on the re-match
pool), run it under a lease, and store its proposals whole. Rows become engine records (and
results rows) in `services.adapter` only."""

from __future__ import annotations

import logging
import random
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from mentoring.models import Application, MatchRun, ProposedPair, ProposedUnmatched, Round
from mentoring.services import adapter, recovery

if TYPE_CHECKING:
    from mentoring.matching import MatchResult

logger = logging.getLogger(__name__)


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


def match(*args, **kwargs) -> MatchResult:
    """The engine's :func:`~mentoring.matching.match`, imported on first use: the engine
    (scikit-learn, scipy, the compiled scorer) loads in the worker that runs a match, not
    in every process that imports this module."""
    from mentoring.matching import match as engine_match

    return engine_match(*args, **kwargs)


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
