"""Celery tasks of the mentoring app: thin wrappers around the services."""

from celery import shared_task

from mentoring.services import approval, recovery, rounds, runs


@shared_task
def run_round_schedule() -> None:
    """Beat, every few minutes: move each round along its dates (see services.rounds)."""
    rounds.run_schedule()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_matching(run_id: int) -> None:
    """Run the engine for one stored run (on the `matching` queue). A run killed half-way
    wrote nothing; running the task again starts it afresh, and a second delivery while a
    live worker holds the run's lease does nothing."""
    runs.execute_run(run_id)


@shared_task
def recover_matching_runs() -> None:
    """Beat, every `MATCHING_RECOVER_SECONDS`: queue again the runs and the approvals whose
    worker died."""
    recovery.recover()
    approval.resume_approvals()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def approve_run(run_id: int) -> None:
    """Approve one run in batches (see services.approval.execute_approval). A worker killed
    mid-way loses at most its current batch; the task delivered again goes on from there."""
    approval.execute_approval(run_id)
