"""Periodic work of the site shell, run by Celery beat."""

import logging
import time

from celery import shared_task
from django.conf import settings
from django.core.management import call_command

from website.models import OutboundEmail
from website.outbox import DeliveryError, bulk_policy, deliver

logger = logging.getLogger(__name__)

# A bulk message waits in the worker for a slot of the sending rate up to this long; a longer
# wait (the daily budget is spent) goes back to the queue instead of holding the worker.
MAX_WAIT_IN_WORKER = 2.0


@shared_task
def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and unpublish expired ones (Wagtail's
    `publish_scheduled`); safe to run as often as beat likes."""
    call_command("publish_scheduled")


@shared_task(
    bind=True,
    autoretry_for=(DeliveryError,),
    retry_backoff=30,
    # Countdowns stay within the broker's visibility timeout (see the settings).
    retry_backoff_max=settings.CELERY_MAX_COUNTDOWN_SECONDS,
    max_retries=8,
)
def send_outbound_email(self, message_id: int) -> None:
    """Deliver one outbox row; a retry after a refusal sends it, a rerun after success does not.
    Bulk mail takes its turn in the global sending rate first; transactional mail never waits."""
    policy = bulk_policy()
    pending = OutboundEmail.objects.filter(
        pk=message_id,
        bulk=True,
        status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.FAILED],
    )
    if policy and pending.exists():
        wait = policy.wait()
        while 0 < wait <= MAX_WAIT_IN_WORKER:
            time.sleep(wait)
            wait = policy.wait()
        if wait > 0:
            if self.request.is_eager:
                logger.warning("Bulk email %s waits for the sending budget", message_id)
                return
            countdown = min(wait, settings.CELERY_MAX_COUNTDOWN_SECONDS)
            raise self.retry(countdown=countdown, max_retries=None)
    deliver(message_id)


# --- Media for many machines (#17): renditions made by the worker --------------------------
@shared_task
def make_image_renditions(image_ids: list[int]) -> int:
    """Make the public renditions these images lack (website/renditions.py); safe to rerun."""
    from website.renditions import make_renditions

    return make_renditions(image_ids)


@shared_task
def make_page_renditions(page_id: int) -> int:
    """Make the public renditions the images of a published page lack; safe to rerun."""
    from website.renditions import make_page_renditions

    return make_page_renditions(page_id)
