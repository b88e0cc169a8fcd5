"""The suppression list and one-click unsubscribe: signed links that name the message they
came in, never the address."""

from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from campaigns.models import Delivery, Suppression
from mentoring.normalise import normalise_email
from website.models import OutboundEmail

UNSUBSCRIBE_SALT = "campaigns.unsubscribe.message"
# Links sent before tokens named messages held the address itself. They are still honoured
# (a person must be able to leave from any message they kept, and the law gives at least 30
# days) until they are six months old; by then every reader has had newer messages, whose
# links work.
LEGACY_UNSUBSCRIBE_SALT = "campaigns.unsubscribe"
LEGACY_TOKEN_MAX_AGE = timedelta(days=183)


def is_suppressed(email: str) -> bool:
    return Suppression.objects.filter(email_normalised=normalise_email(email)).exists()


def suppressed_addresses() -> set[str]:
    return set(Suppression.objects.values_list("email_normalised", flat=True))


def suppress(email: str, reason: str, detail: str = "") -> Suppression:
    """Put an address on the list; an address already there keeps its first reason."""
    normalised = normalise_email(email)
    existing = Suppression.objects.filter(email_normalised=normalised).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Suppression.objects.create(
                email_normalised=normalised, reason=reason, detail=detail[:500]
            )
    except IntegrityError:
        return Suppression.objects.get(email_normalised=normalised)


def unsubscribe_token(message_id: int) -> str:
    """An opaque link token: the id of the message it came in, signed; never the address."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(message_id)


def email_from_token(token: str) -> str | None:
    """The address a token stands for: the recipient of the message it names or, for a
    link sent before tokens named messages, the address it holds, until it ages out."""
    try:
        message_id = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return _legacy_email(token)
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        return None
    to = OutboundEmail.objects.filter(pk=message_id).values_list("to", flat=True).first()
    return normalise_email(to) if to else None


def _legacy_email(token: str) -> str | None:
    try:
        value = signing.loads(token, salt=LEGACY_UNSUBSCRIBE_SALT, max_age=LEGACY_TOKEN_MAX_AGE)
    except (signing.BadSignature, ValueError):
        return None
    return value if isinstance(value, str) and "@" in value else None


def unsubscribe_url(message_id: int) -> str:
    path = reverse("campaigns:unsubscribe", kwargs={"token": unsubscribe_token(message_id)})
    return f"{settings.BASE_URL}{path}"


def unsubscribe_mailto(message_id: int) -> str:
    subject = quote(f"unsubscribe {unsubscribe_token(message_id)}")
    return f"mailto:{settings.EMAIL_UNSUBSCRIBE_ADDRESS}?subject={subject}"


def list_unsubscribe_headers(message_id: int) -> dict[str, str]:
    """RFC 2369 and RFC 8058: a one-click https link and a mailto fallback."""
    return {
        "List-Unsubscribe": (
            f"<{unsubscribe_url(message_id)}>, <{unsubscribe_mailto(message_id)}>"
        ),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def unsubscribe(email: str, detail: str = "") -> Suppression:
    from django.utils import timezone

    suppression = suppress(email, Suppression.Reason.UNSUBSCRIBE, detail)
    Delivery.objects.filter(
        email_normalised=normalise_email(email), unsubscribed_at__isnull=True
    ).update(unsubscribed_at=timezone.now())
    return suppression


def masked(email: str) -> str:
    """The address as a page may show it to whoever holds the link: a***@example.org."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"
