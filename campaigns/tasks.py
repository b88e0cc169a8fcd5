"""Celery tasks of program email: the campaign driver and beat's dispatcher."""

import logging

from celery import shared_task

from campaigns.services import sending

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def send_campaign(self, campaign_id: int) -> None:
    """Send part of a campaign, then queue the rest behind the mail already waiting, so that
    transactional mail never waits for a whole campaign. Runs on the `mail` queue.

    A driver that must wait (the daily budget is spent, the server refused a message) is not
    re-queued with a countdown: it stores when to go on, and beat's dispatcher resumes it."""
    eager = bool(self.request.is_eager)
    later = sending.run(campaign_id, budget_seconds=None if eager else 20.0)
    if later is None:
        return
    if later > 0 or eager:
        logger.info("Campaign %s waits %.0f s; beat's dispatcher resumes it", campaign_id, later)
        return
    queue = (self.request.delivery_info or {}).get("routing_key") or None
    sending.queue_driver(campaign_id, queue=queue)


@shared_task
def dispatch_campaigns() -> None:
    """Start scheduled campaigns whose time has come; resume campaigns whose worker died or
    whose wait is over; mark sent those whose doubts are settled."""
    sending.dispatch()
