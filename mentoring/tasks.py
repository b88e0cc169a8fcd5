"""Celery tasks of the mentoring app: thin wrappers around the services."""

from celery import shared_task

from mentoring.services import matching, rounds


@shared_task
def run_round_schedule() -> None:
    """Beat, every few minutes: move each round along its dates (see services.rounds)."""
    rounds.run_schedule()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_matching(run_id: int) -> None:
    """Run the engine for one stored run (on the `matching` queue). A run killed half-way
    wrote nothing; running the task again starts it afresh."""
    matching.execute_run(run_id)
