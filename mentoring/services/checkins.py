"""Noticing inactive partners before anyone reports them: on days 7 and 14 of a round each
participant is asked "have you heard from your partner?"; a "no", a report, or silence to
both questions flags the partnership for re-matching."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from mentoring import links
from mentoring.links import absolute
from mentoring.models import Application, CheckIn, Partnership, Round
from mentoring.services.participants import active_participants
from website.outbox import queue_email

CHECK_IN_DAYS = (7, 14)
SILENCE_GRACE = timedelta(days=4)


def check_in_url(application: Application, day: int, answer: str) -> str:
    from mentoring.links import english_reverse

    token = links.make_token(links.PERSONAL, application.pk, application.access_key)
    path = english_reverse("mentoring:check_in", token=token, day=day)
    return absolute(f"{path}?answer={answer}")


def send_check_ins(round: Round, now: datetime) -> None:
    for day in CHECK_IN_DAYS:
        if now < round.start_datetime + timedelta(days=day):
            continue
        for application in active_participants(round).filter(
            partnership__published_at__lte=round.start_datetime + timedelta(days=day)
        ):
            CheckIn.objects.get_or_create(application=application, day=day)
            queue_email(
                f"check-in:{day}:{application.pk}",
                application.email,
                "check_in",
                {
                    "name": application.name,
                    "round": round.name,
                    "day": day,
                    "yes_url": check_in_url(application, day, "yes"),
                    "no_url": check_in_url(application, day, "no"),
                },
            )


def answer(application: Application, day: int, heard_from_partner: bool) -> None:
    with transaction.atomic():
        check_in, _ = CheckIn.objects.select_for_update().get_or_create(
            application=application, day=day
        )
        check_in.heard_from_partner = heard_from_partner
        check_in.answered_at = timezone.now()
        check_in.save()
        if not heard_from_partner and application.partnership_id:
            Partnership.objects.filter(
                pk=application.partnership_id, flagged_at__isnull=True
            ).update(flagged_at=timezone.now())


def flag_silence(round: Round, now: datetime) -> list[int]:
    """After the second check-in and a grace period: partnerships with a member who answered
    neither question are flagged, and that member is marked inactive for later rounds."""
    if now < round.start_datetime + timedelta(days=max(CHECK_IN_DAYS)) + SILENCE_GRACE:
        return []
    silent = []
    for application in active_participants(round).select_related("person"):
        asked = application.check_ins.count()
        answered = application.check_ins.filter(answered_at__isnull=False).count()
        if asked >= len(CHECK_IN_DAYS) and answered == 0:
            silent.append(application.pk)
            Partnership.objects.filter(
                pk=application.partnership_id, flagged_at__isnull=True
            ).update(flagged_at=now)
            person = application.person
            if person.inactive_in_round_id != round.pk:
                person.inactive_in_round = round
                person.save(update_fields=["inactive_in_round"])
    return silent
