"""Celery tasks of the mentoring app: thin wrappers around the services."""

from celery import shared_task

from mentoring.services import rounds


@shared_task
def run_round_schedule() -> None:
    """Beat, every few minutes: move each round along its dates (see services.rounds)."""
    rounds.run_schedule()
