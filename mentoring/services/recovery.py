"""Matching runs that recover by themselves.

The worker running a run holds a short lease on it and renews it from a heartbeat thread
while the engine works. A worker that dies (killed, out of memory, machine lost) stops
renewing; beat's `recover_matching_runs` finds the lapsed lease and queues the run again,
or, after `MATCHING_MAX_ATTEMPTS`, marks it failed for a director to retry. A run killed
half-way wrote nothing (its result is stored whole), and the same seed gives the same pairs.
"""

import logging
import threading
import uuid
from datetime import timedelta
from types import TracebackType

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from mentoring.models import MatchRun
from mentoring.services.errors import RunStillWorking

logger = logging.getLogger(__name__)
# A run queued but not picked up by a worker for this long is queued again (a lost message).
QUEUED_GRACE = timedelta(minutes=10)


def lease_until() -> timezone.datetime:
    return timezone.now() + timedelta(seconds=settings.MATCHING_LEASE_SECONDS)


def new_token() -> str:
    return uuid.uuid4().hex


def lease_lapsed(run: MatchRun) -> bool:
    """A running run whose worker stopped renewing its lease: nobody is working on it."""
    return run.status == MatchRun.Status.RUNNING and (
        run.lease_expires_at is None or run.lease_expires_at < timezone.now()
    )


class Heartbeat:
    """Renews a run's lease from a thread of its own while the engine computes (the engine
    reports progress only between phases, which can be minutes apart)."""

    def __init__(self, run_id: int, token: str) -> None:
        self.run_id, self.token = run_id, token
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"run-{run_id}-heartbeat")
        self.thread.daemon = True

    def __enter__(self) -> "Heartbeat":
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stopped.set()
        self.thread.join()

    def _beat(self) -> None:
        every = settings.MATCHING_LEASE_SECONDS / 4
        try:
            while not self.stopped.wait(every):
                try:
                    MatchRun.objects.filter(
                        pk=self.run_id, lease_token=self.token, status=MatchRun.Status.RUNNING
                    ).update(lease_expires_at=lease_until())
                except Exception:
                    logger.exception("Matching run %s: the heartbeat failed", self.run_id)
                    close_old_connections()
        finally:
            connection.close()


def recover() -> dict[str, list[int]]:
    """Beat's check (every `MATCHING_RECOVER_SECONDS`): queue again the runs whose worker
    died, and those whose task message was lost; fail a run that lost its worker too often."""
    from mentoring.tasks import run_matching

    now = timezone.now()
    requeued, failed = [], []
    lapsed = MatchRun.objects.filter(status=MatchRun.Status.RUNNING).filter(
        Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
    )
    lost = MatchRun.objects.filter(
        status=MatchRun.Status.QUEUED, created_at__lt=now - QUEUED_GRACE
    ).filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now))
    for pk in [*lapsed.values_list("pk", flat=True), *lost.values_list("pk", flat=True)]:
        with transaction.atomic():
            run = MatchRun.objects.select_for_update().get(pk=pk)
            if run.status == MatchRun.Status.RUNNING and not lease_lapsed(run):
                continue
            if run.status not in {MatchRun.Status.RUNNING, MatchRun.Status.QUEUED}:
                continue
            if run.attempts >= settings.MATCHING_MAX_ATTEMPTS:
                run.status = MatchRun.Status.FAILED
                run.error = (
                    f"The worker running it stopped {run.attempts} times; "
                    "restart the run when the workers are healthy."
                )
                run.finished_at = now
                run.lease_token, run.lease_expires_at = "", None
                run.save()
                failed.append(pk)
                logger.error("Matching run %s failed after %s attempts", pk, run.attempts)
                continue
            if run.status == MatchRun.Status.RUNNING:
                logger.warning("Matching run %s lost its worker; queued again", pk)
            run.status = MatchRun.Status.QUEUED
            run.message = "Queued again: the worker running it stopped"
            run.lease_token = ""
            run.lease_expires_at = now + QUEUED_GRACE
            run.save()
            run_matching.delay_on_commit(pk)
            requeued.append(pk)
    return {"requeued": requeued, "failed": failed}


def restart(run_id: int, user=None) -> MatchRun:
    """Start a failed run, or one whose worker stopped (its lease lapsed), afresh as a new
    run; the stopped one is marked failed so that beat does not queue it as well. Returns
    the new run; raises `RunStillWorking` while a live worker is on it."""
    from mentoring.services.runs import start_run

    with transaction.atomic():
        run = MatchRun.objects.select_for_update().select_related("round").get(pk=run_id)
        if run.status != MatchRun.Status.FAILED and not lease_lapsed(run):
            raise RunStillWorking()
        new = start_run(run.round, user, kind=run.kind, pool_ids=run.requested_pool or None)
        if run.status != MatchRun.Status.FAILED:
            run.status = MatchRun.Status.FAILED
            run.error = f"Its worker stopped; restarted as run #{new.pk}."
            run.finished_at = timezone.now()
            run.lease_token, run.lease_expires_at = "", None
            run.save()
    return new
