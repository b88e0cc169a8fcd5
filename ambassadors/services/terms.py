"""Ambassadors serve 12-month terms. A month before a term ends the ambassador gets one email
with a signed link to a page where one button recommits them for another term and another
resigns. The link is bound to the term it was sent for, so it works once."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from ambassadors.models import Ambassador, one_term_after
from ambassadors.services.profiles import sync_groups
from ambassadors.services.term_links import (
    LINK_MAX_AGE,
    REMINDER_DAYS_BEFORE_END,
    TermLinkError,
    TermLinks,
)

__all__ = ["LINK_MAX_AGE", "REMINDER_DAYS_BEFORE_END", "TermLinkError"]

SALT = "ambassadors.term"
LINKS = TermLinks(
    model=Ambassador,
    key="a",
    salt=SALT,
    url_name="ambassadors:term",
    is_settled=lambda ambassador: ambassador.resigned_on is not None,
)


def make_token(ambassador: Ambassador) -> str:
    return LINKS.make_token(ambassador)


def term_link(ambassador: Ambassador) -> str:
    return LINKS.link(ambassador)


def read_token(token: str) -> Ambassador:
    return LINKS.read(token)


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
    return LINKS.queue_reminders(
        due_for_reminder(today),
        key="recommit",
        to=lambda ambassador: ambassador.email,
        template="ambassador_recommit",
        context=lambda ambassador: {
            "name": ambassador.name,
            "term_ends_on": ambassador.term_ends_on.isoformat(),
        },
    )


@transaction.atomic
def recommit(ambassador: Ambassador) -> Ambassador:
    """Another term after the one the link was read for; the same link sent twice at once
    extends the term once (the second finds the term already moved: "settled")."""
    ambassador = LINKS.lock_unchanged(ambassador)
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
