"""Background work of the blog: emailing a discussion topic when it goes live."""

from celery import shared_task

from .topics import send_topic


@shared_task
def send_topic_emails(topic_id: int) -> int:
    """Idempotent: each participant's message has its own outbox key."""
    return send_topic(topic_id)
