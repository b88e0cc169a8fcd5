"""The outbox: the one way the site sends email.

`queue_email` writes the message's row (unique by key) and enqueues its delivery after the
transaction commits; `deliver` sends one row at most once. Templates live in
`templates/email/<name>/{subject.txt,body.txt,body.html}`; an app may register a renderer of
its own for a template name (the campaigns do).

Bulk (program) mail follows a policy the campaigns app registers: the suppression list, the
List-Unsubscribe headers and the global sending rate. Transactional mail ignores all three.
"""

import logging
from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from website.models import OutboundEmail

logger = logging.getLogger(__name__)

Renderer = Callable[[dict[str, Any]], tuple[str, str, str]]
_renderers: dict[str, Renderer] = {}

# Sent after the mail server (or provider) accepted a message: `message` is the row and
# `email` the EmailMessage, which carries anymail's status (the provider's message id).
message_sent = Signal()


class BulkPolicy(Protocol):
    def refusal(self, message: OutboundEmail) -> str:
        """Why this message must not go (e.g. the address is suppressed), or ""."""

    def context(self, message: OutboundEmail) -> dict[str, Any]:
        """Extra template context, e.g. the unsubscribe link."""

    def headers(self, message: OutboundEmail) -> dict[str, str]:
        """Extra headers, e.g. List-Unsubscribe."""

    def wait(self) -> float:
        """Take one message from the sending budget (0) or say how long to wait."""


_bulk_policy: BulkPolicy | None = None


def register_renderer(template: str, renderer: Renderer) -> None:
    _renderers[template] = renderer


def register_bulk_policy(policy: BulkPolicy | None) -> None:
    global _bulk_policy
    _bulk_policy = policy


def bulk_policy() -> BulkPolicy | None:
    return _bulk_policy


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
    if template in _renderers:
        return _renderers[template](context)
    full_context = {"base_url": settings.BASE_URL, **context}
    with translation.override("en"):
        subject = render_to_string(f"email/{template}/subject.txt", full_context)
        text = render_to_string(f"email/{template}/body.txt", full_context)
        html = render_to_string(f"email/{template}/body.html", full_context)
    return " ".join(subject.split()), text, html


class DeliveryError(Exception):
    """The mail server refused the message; it was not sent and may be tried again."""


class NotInDoubt(Exception):
    """Only a message in doubt can be settled by hand; this one has moved on."""

    def __init__(self, message: OutboundEmail) -> None:
        self.message = message
        super().__init__(
            _("This message is no longer in doubt: it is now “%(status)s”.")
            % {"status": message.get_status_display()}
        )


def mark_sent(pk: int) -> OutboundEmail:
    """A person found that a message in doubt did arrive (e.g. in the provider's log)."""
    with transaction.atomic():
        message = OutboundEmail.objects.select_for_update().get(pk=pk)
        if message.status != OutboundEmail.Status.IN_DOUBT:
            raise NotInDoubt(message)
        message.status = OutboundEmail.Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["status", "sent_at", "last_error"])
    return message


def send_again(pk: int) -> OutboundEmail:
    """A person decided that a message in doubt did not arrive: it goes out once more (if it
    did arrive after all, the recipient gets it twice)."""
    from website.tasks import send_outbound_email

    with transaction.atomic():
        message = OutboundEmail.objects.select_for_update().get(pk=pk)
        if message.status != OutboundEmail.Status.IN_DOUBT:
            raise NotInDoubt(message)
        message.status = OutboundEmail.Status.QUEUED
        message.save(update_fields=["status"])
        send_outbound_email.delay_on_commit(message.pk)
    return message


def rendered(message: OutboundEmail) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a message as it was (or will be) sent."""
    context = message.context
    if message.bulk and _bulk_policy:
        context = {**_bulk_policy.context(message), **context}
    return render_email(message.template, context)


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
        refusal = _bulk_policy.refusal(message) if message.bulk and _bulk_policy else ""
        if refusal:
            message.status = OutboundEmail.Status.CANCELLED
            message.last_error = refusal[:2000]
            message.save(update_fields=["status", "last_error"])
            return None
        message.status = OutboundEmail.Status.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts"])
        return message


def build_email(message: OutboundEmail, connection=None) -> EmailMultiAlternatives:
    context, headers = message.context, {}
    if message.bulk and _bulk_policy:
        context = {**_bulk_policy.context(message), **context}
        headers = _bulk_policy.headers(message)
    subject, text, html = render_email(message.template, context)
    email = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [message.to],
        headers=headers,
        connection=connection,
    )
    email.attach_alternative(html, "text/html")
    # anymail passes metadata to the provider, whose events bring it back.
    email.metadata = {"outbox_id": str(message.pk)}
    return email


def deliver(pk: int, connection=None) -> OutboundEmail | None:
    """Send one row at most once; `connection` lets a caller reuse one mail connection."""
    message = claim(pk)
    if message is None:
        return None
    try:
        email = build_email(message, connection)
        subject = email.subject
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
    for _receiver, response in message_sent.send_robust(
        sender=OutboundEmail, message=message, email=email
    ):
        if isinstance(response, Exception):
            logger.error("After sending outbound email %s: %r", message.pk, response)
    return message


class OutboxLogBackend(BaseEmailBackend):
    """The development default without a mail server: a message of the outbox is one log
    line (its row, readable in the admin's Outbox, holds the rest); any other message, such
    as a password reset, is logged whole, since no row keeps it."""

    def send_messages(self, email_messages) -> int:
        for email in email_messages:
            outbox_id = getattr(email, "metadata", {}).get("outbox_id")
            recipients = ", ".join(email.recipients())
            if outbox_id:
                logger.info("Email to %s: %s (outbox row %s)", recipients, email.subject, outbox_id)
            else:
                logger.info("Email to %s: %s\n%s", recipients, email.subject, email.body)
        return len(email_messages)
