"""Periodic work of the site shell, run by Celery beat."""

from celery import shared_task
from django.core.management import call_command


@shared_task
def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and unpublish expired ones (Wagtail's
    `publish_scheduled`); safe to run as often as beat likes."""
    call_command("publish_scheduled")
