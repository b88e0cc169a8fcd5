"""Periodic work of the site shell, run by Celery beat."""

from celery import shared_task
from django.core.management import call_command

from website.outbox import DeliveryError, deliver


@shared_task
def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and unpublish expired ones (Wagtail's
    `publish_scheduled`); safe to run as often as beat likes."""
    call_command("publish_scheduled")


@shared_task(
    autoretry_for=(DeliveryError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_outbound_email(message_id: int) -> None:
    """Deliver one outbox row; a retry after a refusal sends it, a rerun after success does not."""
    deliver(message_id)
