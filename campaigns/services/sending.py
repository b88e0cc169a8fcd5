"""Sending a campaign exactly once per recipient.

Starting a campaign writes one outbox row (and its delivery row) per recipient before any
message goes. A driver task then sends the rows in order, one mail connection for many
messages, each row claimed (SENDING, committed) before its send and marked SENT after it.

Only one driver works on a campaign at a time: it holds a short lease on the campaign row
and renews it as it goes. A driver that dies (a killed worker) stops renewing; beat's
dispatcher sees the lease lapse and queues a new driver, so sending resumes within about
`CAMPAIGN_LEASE_SECONDS + CAMPAIGN_DISPATCH_SECONDS`. The new driver knows that the rows it
finds in SENDING were in flight when the last one died, and marks them IN_DOUBT: the
provider's events settle them (see `campaigns.tracking`), or a person does. Nobody is skipped
and nobody is sent twice, and the campaign reads "sent" only once no row is in doubt.

No task waits in the broker: a driver that has to wait (the daily budget is spent) stores
when to go on, and the dispatcher resumes it then.
"""

import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from campaigns import rendering, segments
from campaigns.models import Campaign, Delivery
from website.models import OutboundEmail
from website.outbox import DeliveryError, bulk_policy, deliver, queue_email

logger = logging.getLogger(__name__)
Status = OutboundEmail.Status
BATCH = 200


class CampaignError(Exception):
    """The campaign cannot do what was asked, in words a person can act on."""


def outbound_key(campaign: Campaign, email_normalised: str) -> str:
    return f"campaign:{campaign.pk}:{email_normalised}"[:200]


def messages(campaign: Campaign):
    return OutboundEmail.objects.filter(delivery__campaign=campaign)


def pending(campaign_id: int):
    """Rows still to send: never tried, or refused by the server fewer times than allowed."""
    return OutboundEmail.objects.filter(delivery__campaign_id=campaign_id).filter(
        Q(status=Status.QUEUED)
        | Q(status=Status.FAILED, attempts__lt=settings.CAMPAIGN_MAX_ATTEMPTS)
    )


def send_test(campaign: Campaign, to: str) -> OutboundEmail:
    """A test message of the campaign as it is now, with its own key."""
    return queue_email(
        f"campaign-test:{campaign.pk}:{uuid.uuid4().hex}",
        to,
        rendering.TEMPLATE,
        {"campaign": campaign.pk, "test": True, "name": ""},
        bulk=True,
    )


def schedule(campaign: Campaign, when: datetime) -> None:
    if when <= timezone.now():
        raise CampaignError(gettext("The time to send must be in the future."))
    updated = Campaign.objects.filter(
        pk=campaign.pk, status__in=[Campaign.Status.DRAFT, Campaign.Status.SCHEDULED]
    ).update(status=Campaign.Status.SCHEDULED, scheduled_at=when)
    if not updated:
        raise CampaignError(gettext("This campaign has already been sent."))


def unschedule(campaign: Campaign) -> None:
    Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SCHEDULED).update(
        status=Campaign.Status.DRAFT, scheduled_at=None
    )


def start(campaign_id: int) -> bool:
    """Write every recipient's row and hand the campaign to a driver. Does nothing (False)
    if the campaign has started already."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        if campaign.status not in {Campaign.Status.DRAFT, Campaign.Status.SCHEDULED}:
            return False
        if not len(campaign.body):
            raise CampaignError(gettext("The campaign has no content yet."))
        people = segments.recipients(campaign)
        if not people:
            raise CampaignError(gettext("Nobody is in this campaign's audience."))
        rendering.check_placeholders(campaign, people)
        personal = rendering.uses_personal_link(campaign)
        rendering.snapshot(campaign)
        campaign.status = Campaign.Status.SENDING
        campaign.started_at = timezone.now()
        campaign.recipient_count = len(people)
        started = campaign.started_at.isoformat()
        for offset in range(0, len(people), 1000):
            chunk = people[offset : offset + 1000]
            rows = OutboundEmail.objects.bulk_create(
                [
                    OutboundEmail(
                        key=outbound_key(campaign, person.email_normalised),
                        to=person.email,
                        template=rendering.TEMPLATE,
                        context=rendering.message_context(campaign, person, started, personal),
                        bulk=True,
                    )
                    for person in chunk
                ]
            )
            Delivery.objects.bulk_create(
                [
                    Delivery(
                        outbound=row, campaign=campaign, email_normalised=person.email_normalised
                    )
                    for row, person in zip(rows, chunk, strict=True)
                ]
            )
        campaign.save()
        queue_driver(campaign.pk)
    return True


def queue_driver(campaign_id: int, queue: str | None = None) -> None:
    """Hand the campaign to a new driver once the transaction commits. Until the driver
    starts (or for `CAMPAIGN_QUEUED_GRACE_SECONDS`, if the mail queue is long) the
    dispatcher leaves the campaign alone rather than queueing more drivers."""
    from campaigns.tasks import send_campaign

    now = timezone.now()
    grace = now + timedelta(seconds=settings.CAMPAIGN_QUEUED_GRACE_SECONDS)
    Campaign.objects.filter(pk=campaign_id).filter(
        Q(lease_token="") | Q(lease_expires_at__lt=now)
    ).update(lease_token="", lease_expires_at=grace, resume_at=None)
    options = {"queue": queue} if queue else {}
    transaction.on_commit(lambda: send_campaign.apply_async((campaign_id,), **options))


def cancel(campaign: Campaign) -> int:
    """Stop a campaign: what is not sent yet is not sent. Returns how many were left."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status in {Campaign.Status.SENT, Campaign.Status.CANCELLED}:
            return 0
        left = pending(locked.pk).update(status=Status.CANCELLED)
        locked.status = Campaign.Status.CANCELLED
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "finished_at"])
    return left


def _acquire_lease(campaign_id: int) -> str | None:
    """Take the campaign for this driver, or None if another live driver has it. Rows found
    in SENDING on taking it over were in flight when the last driver died."""
    token = uuid.uuid4().hex
    now = timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None or campaign.status != Campaign.Status.SENDING:
            return None
        if campaign.lease_token and campaign.lease_expires_at and campaign.lease_expires_at > now:
            return None
        campaign.lease_token = token
        campaign.lease_expires_at = now + timedelta(seconds=settings.CAMPAIGN_LEASE_SECONDS)
        campaign.resume_at = None
        campaign.save(update_fields=["lease_token", "lease_expires_at", "resume_at"])
        orphans = messages(campaign).filter(status=Status.SENDING).update(status=Status.IN_DOUBT)
        if orphans:
            logger.warning(
                "Campaign %s: %s messages were in flight when a worker stopped; in doubt",
                campaign_id,
                orphans,
            )
    return token


def _renew_lease(campaign_id: int, token: str) -> bool:
    return bool(
        Campaign.objects.filter(pk=campaign_id, lease_token=token).update(
            lease_expires_at=timezone.now() + timedelta(seconds=settings.CAMPAIGN_LEASE_SECONDS)
        )
    )


def _release_lease(campaign_id: int, token: str, resume_after: float | None) -> None:
    """Give the campaign up; a driver that must wait says when the dispatcher may resume."""
    changes: dict = {"lease_token": "", "lease_expires_at": None}
    if resume_after:
        changes["resume_at"] = timezone.now() + timedelta(seconds=resume_after)
    Campaign.objects.filter(pk=campaign_id, lease_token=token).update(**changes)


def reconcile(campaign_id: int) -> str:
    """Bring a started campaign's status in line with its rows and return it: SENDING while
    any row is still to send (a driver is queued if it had stopped), IN_DOUBT while rows wait
    to be settled, SENT once every row has left or is settled (sent, refused for good,
    suppressed or stopped)."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        if campaign.status not in {Campaign.Status.SENDING, Campaign.Status.IN_DOUBT}:
            return campaign.status
        rows = messages(campaign)
        if pending(campaign_id).exists() or rows.filter(status=Status.SENDING).exists():
            status = Campaign.Status.SENDING
        elif rows.filter(status=Status.IN_DOUBT).exists():
            status = Campaign.Status.IN_DOUBT
        else:
            status = Campaign.Status.SENT
        if status == campaign.status:
            return status
        campaign.status = status
        campaign.finished_at = None if status == Campaign.Status.SENDING else timezone.now()
        campaign.save(update_fields=["status", "finished_at"])
        if status == Campaign.Status.SENDING and not campaign.lease_token:
            queue_driver(campaign_id)
    return status


def run(
    campaign_id: int,
    budget_seconds: float | None = 20.0,
    sleep: Callable[[float], None] = time.sleep,
) -> float | None:
    """Send the campaign's pending rows for about `budget_seconds` (None: until done).

    Returns None when there is nothing more for a driver to do (finished, or another driver
    holds the campaign), 0 when the budget is spent and a driver should go on at once, else
    the number of seconds to wait, which is also stored on the campaign for the dispatcher."""
    token = _acquire_lease(campaign_id)
    if token is None:
        return None
    later = None
    try:
        later = _drive(campaign_id, token, budget_seconds, sleep)
    finally:
        _release_lease(campaign_id, token, later)
    if later is None:
        reconcile(campaign_id)
    return later


def _drive(
    campaign_id: int, token: str, budget_seconds: float | None, sleep: Callable[[float], None]
) -> float | None:
    policy = bulk_policy()
    renew_every = settings.CAMPAIGN_LEASE_SECONDS / 5
    started = renewed = time.monotonic()
    connection = get_connection(timeout=settings.CAMPAIGN_SMTP_TIMEOUT)
    try:
        connection.open()
        while True:
            ids = list(pending(campaign_id).order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not ids:
                return None
            for pk in ids:
                now = time.monotonic()
                if budget_seconds is not None and now - started > budget_seconds:
                    return 0.0
                if now - renewed > renew_every:
                    if not _renew_lease(campaign_id, token):
                        return None
                    renewed = now
                wait = policy.wait() if policy else 0.0
                while wait > 0:
                    if wait > settings.CAMPAIGN_MAX_WAIT_IN_WORKER:
                        return wait
                    sleep(wait)
                    wait = policy.wait()
                try:
                    deliver(pk, connection=connection)
                except DeliveryError as error:
                    logger.warning("Campaign %s: message %s refused: %s", campaign_id, pk, error)
                    return float(settings.CAMPAIGN_RETRY_AFTER_REFUSAL)
    finally:
        connection.close()


def in_doubt(campaign: Campaign):
    return messages(campaign).filter(status=Status.IN_DOUBT)


def resend(campaign: Campaign, outbound_ids: list[int] | None = None) -> int:
    """A person decided that messages in doubt did not go: send them again."""
    rows = in_doubt(campaign)
    if outbound_ids is not None:
        rows = rows.filter(pk__in=outbound_ids)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status not in {Campaign.Status.IN_DOUBT, Campaign.Status.SENDING}:
            return 0
        count = rows.update(status=Status.QUEUED)
    if count:
        reconcile(campaign.pk)
    return count


def mark_sent(campaign: Campaign, outbound_ids: list[int] | None = None) -> int:
    """A person decided that messages in doubt did go."""
    rows = in_doubt(campaign)
    if outbound_ids is not None:
        rows = rows.filter(pk__in=outbound_ids)
    count = rows.update(status=Status.SENT, sent_at=timezone.now())
    if count:
        reconcile(campaign.pk)
    return count


def dispatch() -> list[int]:
    """Beat's periodic work (every `CAMPAIGN_DISPATCH_SECONDS`): start the scheduled
    campaigns whose time has come, hand campaigns whose driver stopped (its lease lapsed) or
    whose wait is over to a new one, and mark campaigns sent whose last doubts the provider's
    events have settled."""
    now = timezone.now()
    due = Campaign.objects.filter(status=Campaign.Status.SCHEDULED, scheduled_at__lte=now)
    started = []
    for pk in due.values_list("pk", flat=True):
        try:
            if start(pk):
                started.append(pk)
        except CampaignError as error:
            logger.warning("Scheduled campaign %s not sent: %s; it is a draft again", pk, error)
            Campaign.objects.filter(pk=pk).update(status=Campaign.Status.DRAFT, scheduled_at=None)
    stalled = (
        Campaign.objects.filter(status=Campaign.Status.SENDING)
        .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now))
        .filter(Q(resume_at__isnull=True) | Q(resume_at__lte=now))
        .exclude(pk__in=started)
    )
    for pk in stalled.values_list("pk", flat=True):
        with transaction.atomic():
            queue_driver(pk)
    for pk in Campaign.objects.filter(status=Campaign.Status.IN_DOUBT).values_list("pk", flat=True):
        reconcile(pk)
    return started


def figures(campaign: Campaign) -> dict[str, int]:
    from django.db.models import Count

    by_status = dict(
        messages(campaign).values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    deliveries = campaign.deliveries.aggregate(
        delivered=Count("pk", filter=Q(delivered_at__isnull=False)),
        bounced=Count("pk", filter=Q(bounced_at__isnull=False)),
        complained=Count("pk", filter=Q(complained_at__isnull=False)),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        clicked=Count("pk", filter=Q(clicked_at__isnull=False)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    )
    return {
        "recipients": campaign.recipient_count,
        "queued": by_status.get(Status.QUEUED, 0) + by_status.get(Status.SENDING, 0),
        "sent": by_status.get(Status.SENT, 0),
        "failed": by_status.get(Status.FAILED, 0),
        "in_doubt": by_status.get(Status.IN_DOUBT, 0),
        "not_sent": by_status.get(Status.CANCELLED, 0),
        **deliveries,
    }
