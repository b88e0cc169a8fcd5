"""Visitors write to an ambassador through the site: the message goes out through the outbox
to an address the visitor never sees."""

import uuid

from ambassadors.models import Ambassador
from website.outbox import queue_email

# One address may send this many messages an hour (website.public_forms.over_limit).
MESSAGES_PER_HOUR = 5
RATE_LIMIT_GROUP = "ambassador-contact"


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
