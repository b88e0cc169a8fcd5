"""Ambassadors serve 12-month terms. A month before a term ends the ambassador gets one email
with a signed link to a page where one button recommits them for another term and another
resigns. The link is bound to the term it was sent for, so it works once."""

from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import Ambassador, one_term_after
from ambassadors.services.profiles import sync_groups
from website.outbox import queue_email

SALT = "ambassadors.term"
REMINDER_DAYS_BEFORE_END = 30
LINK_MAX_AGE = timedelta(days=REMINDER_DAYS_BEFORE_END + 30)


class TermLinkError(Exception):
    """The link is damaged, too old, or for a term that is already settled."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def make_token(ambassador: Ambassador) -> str:
    return signing.dumps({"a": ambassador.pk, "t": ambassador.term_ends_on.isoformat()}, salt=SALT)


def term_link(ambassador: Ambassador) -> str:
    return settings.BASE_URL + reverse("ambassadors:term", args=[make_token(ambassador)])


def read_token(token: str) -> Ambassador:
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise TermLinkError("expired") from error
    except signing.BadSignature as error:
        raise TermLinkError("invalid") from error
    ambassador = Ambassador.objects.filter(pk=data.get("a")).first()
    if ambassador is None:
        raise TermLinkError("invalid")
    if ambassador.resigned_on is not None or ambassador.term_ends_on.isoformat() != data.get("t"):
        raise TermLinkError("settled")
    return ambassador


def due_for_reminder(today: date | None = None):
    today = today or timezone.localdate()
    return Ambassador.objects.filter(
        resigned_on__isnull=True,
        term_ends_on__gte=today,
        term_ends_on__lte=today + timedelta(days=REMINDER_DAYS_BEFORE_END),
    )


def send_reminders(today: date | None = None) -> int:
    """Queue the recommit-or-resign email of every ambassador whose term ends within a month;
    each term's email is sent once however often this runs."""
    count = 0
    for ambassador in due_for_reminder(today):
        queue_email(
            f"recommit:{ambassador.pk}:{ambassador.term_ends_on.isoformat()}",
            ambassador.email,
            "ambassador_recommit",
            {
                "name": ambassador.name,
                "term_ends_on": ambassador.term_ends_on.isoformat(),
                "link": term_link(ambassador),
            },
        )
        count += 1
    return count


@transaction.atomic
def recommit(ambassador: Ambassador) -> Ambassador:
    ambassador = Ambassador.objects.select_for_update().get(pk=ambassador.pk)
    next_start = ambassador.term_ends_on + timedelta(days=1)
    ambassador.term_starts_on = next_start
    ambassador.term_ends_on = one_term_after(next_start)
    ambassador.recommitted_at = timezone.now()
    ambassador.save(update_fields=["term_starts_on", "term_ends_on", "recommitted_at"])
    sync_groups(ambassador)
    return ambassador


@transaction.atomic
def resign(ambassador: Ambassador) -> Ambassador:
    ambassador = Ambassador.objects.select_for_update().get(pk=ambassador.pk)
    ambassador.resigned_on = timezone.localdate()
    ambassador.save(update_fields=["resigned_on"])
    sync_groups(ambassador)
    return ambassador
