"""Every volunteer serves 12-month terms, as ambassadors always have (ambassadors.services.terms,
whose design this follows). A month before a term ends the volunteer gets one email with a
signed link to a page where one button recommits them for another term and another resigns.
The link is bound to the term it was sent for, so it works once.

An ambassador with a profile keeps the ambassadors' own email and link (their term is the
profile's, which their record mirrors: volunteers.signals), so nobody gets two emails."""

from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import one_term_after
from volunteers.models import VolunteerRecord
from volunteers.services import records
from website.outbox import queue_email

SALT = "volunteers.term"
REMINDER_DAYS_BEFORE_END = 30
LINK_MAX_AGE = timedelta(days=REMINDER_DAYS_BEFORE_END + 30)


class TermLinkError(Exception):
    """The link is damaged, too old, or for a term that is already settled."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def make_token(record: VolunteerRecord) -> str:
    return signing.dumps({"v": record.pk, "t": record.term_ends_on.isoformat()}, salt=SALT)


def term_link(record: VolunteerRecord) -> str:
    return settings.BASE_URL + reverse("volunteers:term", args=[make_token(record)])


def read_token(token: str) -> VolunteerRecord:
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise TermLinkError("expired") from error
    except signing.BadSignature as error:
        raise TermLinkError("invalid") from error
    record = VolunteerRecord.objects.select_related("user").filter(pk=data.get("v")).first()
    if record is None:
        raise TermLinkError("invalid")
    if (
        record.status == VolunteerRecord.Status.RESIGNED
        or record.term_ends_on.isoformat() != data.get("t")
    ):
        raise TermLinkError("settled")
    return record


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
    count = 0
    for record in due_for_reminder(today):
        queue_email(
            f"volunteer-recommit:{record.pk}:{record.term_ends_on.isoformat()}",
            record.user.email,
            "volunteer_recommit",
            {
                "name": str(record),
                "roles": record.role_labels,
                "term_ends_on": record.term_ends_on.isoformat(),
                "link": term_link(record),
            },
        )
        count += 1
    return count


@transaction.atomic
def recommit(record: VolunteerRecord) -> VolunteerRecord:
    record = VolunteerRecord.objects.select_for_update().select_related("user").get(pk=record.pk)
    record.term_ends_on = one_term_after(record.term_ends_on + timedelta(days=1))
    record.recommitted_at = timezone.now()
    return records.save_record(record, by=None, reason="recommitted from the term email")


def resign(record: VolunteerRecord) -> VolunteerRecord:
    return records.end_volunteer(record.user, by=None, reason="resigned from the term email")
