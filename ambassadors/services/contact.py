"""Visitors write to an ambassador through the site: the message goes out through the outbox
to an address the visitor never sees."""

import uuid

from django.core.cache import cache

from ambassadors.models import Ambassador
from website.outbox import queue_email

MESSAGES_PER_HOUR = 5


def over_rate_limit(client: str) -> bool:
    """Count one message from this client; True once it has sent too many this hour."""
    key = f"ambassador-contact:{client}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > MESSAGES_PER_HOUR


def send_message(ambassador: Ambassador, name: str, email: str, message: str) -> None:
    queue_email(
        f"ambassador-contact:{ambassador.pk}:{uuid.uuid4().hex}",
        ambassador.email,
        "ambassador_contact",
        {
            "ambassador_name": ambassador.name,
            "sender_name": name,
            "sender_email": email,
            "message": message,
        },
    )
