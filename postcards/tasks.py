"""Periodic housekeeping of the postcards: private photos of forms never completed."""

from celery import shared_task

from .services import remove_abandoned_photos


@shared_task
def remove_abandoned_submission_photos() -> int:
    """Delete private photos that no postcard uses, two days after upload; safe to rerun."""
    return remove_abandoned_photos()
