"""The suppression list and one-click unsubscribe: signed links that name an address."""

from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from campaigns.models import Delivery, Suppression
from mentoring.normalise import normalise_email

UNSUBSCRIBE_SALT = "campaigns.unsubscribe"


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


def unsubscribe_token(email: str) -> str:
    return signing.dumps(normalise_email(email), salt=UNSUBSCRIBE_SALT, compress=True)


def email_from_token(token: str) -> str | None:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError):
        return None
    return value if isinstance(value, str) and "@" in value else None


def unsubscribe_url(email: str) -> str:
    path = reverse("campaigns:unsubscribe", kwargs={"token": unsubscribe_token(email)})
    return f"{settings.BASE_URL}{path}"


def unsubscribe_mailto(email: str) -> str:
    subject = quote(f"unsubscribe {unsubscribe_token(email)}")
    return f"mailto:{settings.EMAIL_UNSUBSCRIBE_ADDRESS}?subject={subject}"


def list_unsubscribe_headers(email: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: a one-click https link and a mailto fallback."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(email)}>, <{unsubscribe_mailto(email)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def unsubscribe(email: str, detail: str = "") -> Suppression:
    from django.utils import timezone

    suppression = suppress(email, Suppression.Reason.UNSUBSCRIBE, detail)
    Delivery.objects.filter(
        email_normalised=normalise_email(email), unsubscribed_at__isnull=True
    ).update(unsubscribed_at=timezone.now())
    return suppression
