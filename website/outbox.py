"""The outbox: the one way the site sends email.

`queue_email` writes the message's row (unique by key) and enqueues its delivery after the
transaction commits; `deliver` sends one row at most once. Templates live in
`templates/email/<name>/{subject.txt,body.txt,body.html}`.
"""

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from website.models import OutboundEmail

logger = logging.getLogger(__name__)


def queue_email(
    key: str, to: str, template: str, context: dict[str, Any] | None = None, bulk: bool = False
) -> OutboundEmail:
    """Record one message and send it once the current transaction commits. Calling it again
    with the same key changes nothing and sends nothing."""
    from website.tasks import send_outbound_email

    message, created = OutboundEmail.objects.get_or_create(
        key=key,
        defaults={"to": to, "template": template, "context": context or {}, "bulk": bulk},
    )
    if created:
        send_outbound_email.delay_on_commit(message.pk)
    return message


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a message, in English: the program's language."""
    full_context = {"base_url": settings.BASE_URL, **context}
    with translation.override("en"):
        subject = render_to_string(f"email/{template}/subject.txt", full_context)
        text = render_to_string(f"email/{template}/body.txt", full_context)
        html = render_to_string(f"email/{template}/body.html", full_context)
    return " ".join(subject.split()), text, html


class DeliveryError(Exception):
    """The mail server refused the message; it was not sent and may be tried again."""


def claim(pk: int) -> OutboundEmail | None:
    """Mark a message as being sent, in its own committed transaction, or say why not.

    A message already SENDING belongs to a delivery that died half-way: it may or may not
    have gone out, so it is set IN_DOUBT for a person (or the provider's events) to settle.
    """
    with transaction.atomic():
        message = OutboundEmail.objects.select_for_update().filter(pk=pk).first()
        if message is None or message.status not in {
            OutboundEmail.Status.QUEUED,
            OutboundEmail.Status.FAILED,
            OutboundEmail.Status.SENDING,
        }:
            return None
        if message.status == OutboundEmail.Status.SENDING:
            message.status = OutboundEmail.Status.IN_DOUBT
            message.save(update_fields=["status"])
            logger.warning("Outbound email %s was interrupted mid-send; marked in doubt", pk)
            return None
        message.status = OutboundEmail.Status.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts"])
        return message


def deliver(pk: int) -> OutboundEmail | None:
    message = claim(pk)
    if message is None:
        return None
    try:
        subject, text, html = render_email(message.template, message.context)
        email = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [message.to])
        email.attach_alternative(html, "text/html")
        email.send()
    except Exception as error:
        message.status = OutboundEmail.Status.FAILED
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.save(update_fields=["status", "last_error"])
        raise DeliveryError(message.last_error) from error
    message.status = OutboundEmail.Status.SENT
    message.subject = subject[:300]
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["status", "subject", "sent_at", "last_error"])
    return message
