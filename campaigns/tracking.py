"""What providers tell us after a message left: anymail's tracking events (delivered,
bounced, complained, opened, clicked, unsubscribed) per recipient, the settling of messages
left in doubt by a crash, and the mailto: unsubscribe requests that arrive as inbound mail.

Only webhooks anymail has authenticated are heeded (see campaigns/checks.py), and an event
only moves a message forward: a message in doubt becomes sent when the provider shows it
left, or cancelled (never re-sent by itself) when the provider says it refused it; a sent
message stays sent whatever arrives later."""

import logging

from anymail.signals import AnymailInboundEvent, AnymailTrackingEvent, EventType, inbound, tracking
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from campaigns.checks import webhooks_authenticated
from campaigns.models import Delivery, Suppression
from campaigns.services import suppression
from mentoring.normalise import normalise_email
from website import outbox
from website.models import OutboundEmail

logger = logging.getLogger(__name__)

# Events that prove the provider took the message: a message in doubt was sent.
LEFT = {
    EventType.QUEUED,
    EventType.SENT,
    EventType.DELIVERED,
    EventType.DEFERRED,
    EventType.BOUNCED,
    EventType.OPENED,
    EventType.CLICKED,
    EventType.COMPLAINED,
    EventType.UNSUBSCRIBED,
}
# Events that say the provider refused it: a message in doubt was not sent, and is not sent
# again by itself (the provider would refuse it again); it counts as "not sent".
NOT_SENT = {EventType.REJECTED, EventType.FAILED}
FIRST_TIME_FIELD = {
    EventType.DELIVERED: "delivered_at",
    EventType.BOUNCED: "bounced_at",
    EventType.COMPLAINED: "complained_at",
    EventType.OPENED: "opened_at",
    EventType.CLICKED: "clicked_at",
    EventType.UNSUBSCRIBED: "unsubscribed_at",
}


def _find(event: AnymailTrackingEvent) -> Delivery | None:
    outbox_id = str((event.metadata or {}).get("outbox_id", ""))
    message = None
    if outbox_id.isdigit():
        message = OutboundEmail.objects.filter(pk=int(outbox_id)).first()
    if message is None and event.message_id:
        delivery = Delivery.objects.filter(provider_message_id=event.message_id).first()
        if delivery:
            return delivery
    if message is None:
        return None
    delivery, _created = Delivery.objects.get_or_create(
        outbound=message,
        defaults={
            "email_normalised": normalise_email(message.to),
            "provider_message_id": event.message_id or "",
        },
    )
    return delivery


def record_event(event: AnymailTrackingEvent) -> Delivery | None:
    """Apply one provider event; safe to receive the same event twice (counts aside)."""
    kind = event.event_type
    recipient = event.recipient or ""
    if kind == EventType.BOUNCED and recipient:
        suppression.suppress(recipient, Suppression.Reason.BOUNCE, event.description or "")
    elif kind == EventType.COMPLAINED and recipient:
        suppression.suppress(recipient, Suppression.Reason.COMPLAINT, event.description or "")
    elif kind == EventType.UNSUBSCRIBED and recipient:
        suppression.suppress(recipient, Suppression.Reason.UNSUBSCRIBE, event.description or "")

    delivery = _find(event)
    if delivery is None:
        logger.info("Provider event %s for an unknown message %s", kind, event.message_id)
        return None
    when = event.timestamp or timezone.now()
    with transaction.atomic():
        rows = Delivery.objects.filter(pk=delivery.pk)
        changes = {}
        if event.message_id and not delivery.provider_message_id:
            changes["provider_message_id"] = event.message_id[:200]
        if kind == EventType.OPENED:
            changes["opens"] = F("opens") + 1
        if kind == EventType.CLICKED:
            changes["clicks"] = F("clicks") + 1
        if changes:
            rows.update(**changes)
        # The latest event is the one that happened last, not the one that arrived last.
        rows.filter(Q(last_event_at__isnull=True) | Q(last_event_at__lte=when)).update(
            last_event=kind[:20],
            last_event_at=when,
            last_event_detail=(event.description or event.mta_response or "")[:500],
        )
        field = FIRST_TIME_FIELD.get(kind)
        if field:
            rows.filter(**{f"{field}__isnull": True}).update(**{field: when})
        if kind == EventType.CLICKED:
            rows.filter(opened_at__isnull=True).update(opened_at=when)
        settle(delivery.outbound_id, kind, event.description or "")
    delivery.refresh_from_db()
    return delivery


def settle(outbound_id: int, kind: str, detail: str = "") -> None:
    """A message in doubt after a crash takes the fate the provider reports; only a
    message in doubt does."""
    in_doubt = OutboundEmail.objects.filter(pk=outbound_id, status=OutboundEmail.Status.IN_DOUBT)
    if kind in LEFT:
        in_doubt.update(status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error="")
    elif kind in NOT_SENT:
        in_doubt.update(
            status=OutboundEmail.Status.CANCELLED,
            last_error=f"The provider refused it: {detail}"[:2000],
        )


def on_tracking(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    if not webhooks_authenticated():
        logger.warning("Ignored a %s event: its webhook is not authenticated", esp_name)
        return
    record_event(event)


def on_inbound(sender, event: AnymailInboundEvent, esp_name: str, **kwargs) -> None:
    """An unsubscribe request sent to the List-Unsubscribe mailto: address. Only a webhook
    anymail authenticated counts, and only the signed token in the subject names whom to
    unsubscribe: the From address proves nothing."""
    if not webhooks_authenticated():
        logger.warning("Ignored %s inbound mail: its webhook is not authenticated", esp_name)
        return
    message = event.message
    if message is None:
        return
    words = (message.subject or "").split()
    if len(words) < 2 or not words[-2].lower().endswith("unsubscribe"):
        return
    email = suppression.email_from_token(words[-1])
    if email is None:
        logger.info("Inbound unsubscribe request without a valid token ignored")
        return
    suppression.unsubscribe(email, detail="mailto")


def on_sent(sender, message: OutboundEmail, email, **kwargs) -> None:
    """Keep the provider's message id, which its events name."""
    status = getattr(email, "anymail_status", None)
    message_id = getattr(status, "message_id", None) if status else None
    if not message_id or not isinstance(message_id, str):
        return
    updated = Delivery.objects.filter(outbound=message).update(provider_message_id=message_id)
    if not updated:
        Delivery.objects.get_or_create(
            outbound=message,
            defaults={
                "email_normalised": normalise_email(message.to),
                "provider_message_id": message_id,
            },
        )


def connect() -> None:
    tracking.connect(on_tracking, dispatch_uid="campaigns.tracking")
    inbound.connect(on_inbound, dispatch_uid="campaigns.inbound")
    outbox.message_sent.connect(on_sent, dispatch_uid="campaigns.message_sent")
