"""The volunteers' noticeboard: announcements from the directors, who has read each, and the
optional weekly digest of what a volunteer has not read yet (sent through the outbox, at most
once a week, never the same announcement twice)."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from volunteers.models import Announcement, ReadReceipt, VolunteerRecord
from website.models import OutboundEmail
from website.outbox import queue_email


def visible(now: datetime | None = None) -> QuerySet[Announcement]:
    return Announcement.objects.filter(published_at__lte=now or timezone.now())


def for_user(user) -> QuerySet[Announcement]:
    """The published announcements, each marked `is_read` for this user, with read counts."""
    return (
        visible()
        .select_related("author")
        .annotate(
            is_read=Exists(ReadReceipt.objects.filter(announcement=OuterRef("pk"), user=user)),
            read_count=Count("receipts", distinct=True),
        )
    )


def mark_read(announcement: Announcement, user) -> None:
    try:
        with transaction.atomic():
            ReadReceipt.objects.get_or_create(announcement=announcement, user=user)
    except IntegrityError:
        pass


def unread_count(user) -> int:
    return visible().exclude(receipts__user=user).count()


def period_of(now: datetime) -> str:
    year, week, _ = timezone.localtime(now).isocalendar()
    return f"{year}-W{week:02d}"


def send_digests(now: datetime | None = None) -> int:
    """Queue this week's digest for each serving volunteer who asked for one and has unread
    announcements published since their last digest; returns how many were queued."""
    now = now or timezone.now()
    count = 0
    records = (
        VolunteerRecord.objects.serving(timezone.localdate(now))
        .filter(email_digest=True)
        .exclude(user__email="")
        .select_related("user")
    )
    for record in records:
        if send_digest(record.pk, now):
            count += 1
    return count


@transaction.atomic
def send_digest(record_pk: int, now: datetime) -> bool:
    record = VolunteerRecord.objects.select_for_update().select_related("user").get(pk=record_pk)
    news = visible(now).exclude(receipts__user=record.user).order_by("published_at")
    if record.digest_sent_through is not None:
        news = news.filter(published_at__gt=record.digest_sent_through)
    news = list(news)
    key = f"volunteer-digest:{record.user_id}:{period_of(now)}"
    if not news or OutboundEmail.objects.filter(key=key).exists():
        return False  # nothing new, or this week's digest has gone: the rest waits a week
    queue_email(
        key,
        record.user.email,
        "volunteer_digest",
        {
            "name": str(record),
            "announcements": [
                {
                    "title": item.title,
                    "body": item.body,
                    "date": item.published_at.date().isoformat(),
                }
                for item in news
            ],
        },
    )
    record.digest_sent_through = now
    record.save(update_fields=["digest_sent_through"])
    return True


def receipts(announcement: Announcement) -> list[ReadReceipt]:
    return list(announcement.receipts.select_related("user").order_by("read_at"))


def digest_enabled(user) -> bool:
    return VolunteerRecord.objects.filter(user=user, email_digest=True).exists()


def set_digest(user, enabled: bool) -> bool:
    """A volunteer's own choice; False when they have no record to keep it on."""
    return bool(VolunteerRecord.objects.filter(user=user).update(email_digest=enabled))
