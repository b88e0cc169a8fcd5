"""Every volunteer serves 12-month terms, as ambassadors always have; both use the same
term links (ambassadors.services.term_links). A month before a term ends the volunteer gets
one email with a signed link to a page where one button recommits them for another term and
another resigns.
The link is bound to the term it was sent for, so it works once.

An ambassador with a profile keeps the ambassadors' own email and link (their term is the
profile's, which their record mirrors: volunteers.signals), so nobody gets two emails."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from ambassadors.models import one_term_after
from ambassadors.services.term_links import (
    LINK_MAX_AGE,
    REMINDER_DAYS_BEFORE_END,
    TermLinkError,
    TermLinks,
)
from volunteers.models import VolunteerRecord
from volunteers.services import records

__all__ = ["LINK_MAX_AGE", "REMINDER_DAYS_BEFORE_END", "TermLinkError"]

SALT = "volunteers.term"
LINKS = TermLinks(
    model=VolunteerRecord,
    key="v",
    salt=SALT,
    url_name="volunteers:term",
    is_settled=lambda record: record.status == VolunteerRecord.Status.RESIGNED,
)


def make_token(record: VolunteerRecord) -> str:
    return LINKS.make_token(record)


def term_link(record: VolunteerRecord) -> str:
    return LINKS.link(record)


def read_token(token: str) -> VolunteerRecord:
    return LINKS.read(token, VolunteerRecord.objects.select_related("user"))


def due_for_reminder(today: date | None = None):
    today = today or timezone.localdate()
    return (
        VolunteerRecord.objects.filter(
            status=VolunteerRecord.Status.ACTIVE,
            term_ends_on__gte=today,
            term_ends_on__lte=today + timedelta(days=REMINDER_DAYS_BEFORE_END),
            user__ambassador_profile__isnull=True,
        )
        .exclude(user__email="")
        .select_related("user")
    )


def send_reminders(today: date | None = None) -> int:
    """Queue the recommit-or-resign email of every volunteer whose term ends within a month;
    each term's email is sent once however often this runs."""
    return LINKS.queue_reminders(
        due_for_reminder(today),
        key="volunteer-recommit",
        to=lambda record: record.user.email,
        template="volunteer_recommit",
        context=lambda record: {
            "name": str(record),
            "roles": record.role_labels,
            "term_ends_on": record.term_ends_on.isoformat(),
        },
    )


@transaction.atomic
def recommit(record: VolunteerRecord) -> VolunteerRecord:
    """Another term after the one the link was read for; the same link sent twice at once
    extends the term once (the second finds the term already moved: "settled")."""
    record = LINKS.lock_unchanged(record, VolunteerRecord.objects.select_related("user"))
    record.term_ends_on = one_term_after(record.term_ends_on + timedelta(days=1))
    record.recommitted_at = timezone.now()
    return records.save_record(record, by=None, reason="recommitted from the term email")


def resign(record: VolunteerRecord) -> VolunteerRecord:
    return records.end_volunteer(record.user, by=None, reason="resigned from the term email")
