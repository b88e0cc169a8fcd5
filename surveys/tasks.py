"""Celery tasks of the surveys app: thin wrappers around the services."""

from celery import shared_task

from surveys.services import sending


@shared_task
def send_round_surveys() -> None:
    """Beat, hourly: each due survey's links and reminders, once each (see services.sending)."""
    sending.run()
