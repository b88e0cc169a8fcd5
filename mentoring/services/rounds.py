"""What happens to a round as its dates pass, run by Celery beat every few minutes:
the interest list is told when applications open, waitlisted people from earlier rounds
roll in, the country cap is applied when applications close, and verified applicants are
asked (and reminded) to confirm before the deadline. Every step is safe to repeat. The
directors' decision hierarchy for the matching is saved here too."""

import math
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import dateformat, timezone, translation

from mentoring import links
from mentoring.models import Application, Round, RoundStatus
from mentoring.services import checkins, interest
from website.outbox import queue_email
from website.templatetags.time_tags import in_zone

REMINDER_DAYS_BEFORE_DEADLINE = (3, 1)


def run_schedule(now: datetime | None = None) -> None:
    now = now or timezone.now()
    for round in Round.objects.not_finished(now.date()):
        status = round.status_at(now)
        if status == RoundStatus.APPLICATIONS_OPEN:
            roll_waitlist_into(round)
            interest.notify_round_open(round)
        elif status == RoundStatus.CONFIRMING:
            apply_country_cap(round)
            request_confirmations(round)
            send_confirmation_reminders(round, now)
        elif status == RoundStatus.RUNNING:
            checkins.send_check_ins(round, now)
            checkins.flag_silence(round, now)


def roll_waitlist_into(round: Round) -> int:
    """Carry waitlisted applications of earlier rounds into this one, verified, once each."""
    earlier = Application.objects.filter(
        status=Application.Status.WAITLISTED,
        round__application_opens_at__lt=round.application_opens_at,
        rolled_into__isnull=True,
        erased_at__isnull=True,
    ).select_related("round")
    moved = 0
    for old in earlier:
        with transaction.atomic():
            if Application.objects.filter(
                round=round, email_normalised=old.email_normalised
            ).exists():
                continue
            interests = list(old.interests.all())
            new = Application.objects.get(pk=old.pk)
            new.pk = None
            new.id = None
            new.round = round
            new.rolled_from = old
            new.status = Application.Status.VERIFIED
            new.confirmed_at = new.withdrawn_at = new.waitlisted_at = None
            new.partnership = None
            new.suspected_duplicate_of = None
            new._state.adding = True
            new.interests.set(interests)
            new.save()
            queue_email(
                f"rolled:{new.pk}",
                new.email,
                "application_rolled_over",
                {
                    "name": new.name,
                    "round": round.name,
                    "old_round": old.round.name,
                    "page_url": links.personal_page_url(new),
                },
            )
            moved += 1
    return moved


def country_cap(round: Round, eligible: int) -> int:
    return max(1, math.floor(eligible * round.country_cap_percent / 100))


def apply_country_cap(round: Round) -> list[int]:
    """Once applications close: countries over the cap keep their earliest verified
    applicants; the later ones go to the waitlist for the next round. Returns their ids."""
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        if locked.cap_applied_at:
            return []
        eligible = list(
            Application.objects.filter(round=round, status=Application.Status.VERIFIED)
            .order_by("created_at", "pk")
            .values_list("pk", "country")
        )
        cap = country_cap(round, len(eligible))
        seen: dict[str, int] = defaultdict(int)
        over = []
        for pk, country in eligible:
            seen[country] += 1
            if seen[country] > cap:
                over.append(pk)
        Application.objects.filter(pk__in=over).update(
            status=Application.Status.WAITLISTED, waitlisted_at=timezone.now()
        )
        for application in Application.objects.filter(pk__in=over).select_related("round"):
            queue_email(
                f"waitlisted:{application.pk}",
                application.email,
                "application_waitlisted",
                {
                    "name": application.name,
                    "round": round.name,
                    "cap": round.country_cap_percent,
                    "page_url": links.personal_page_url(application),
                },
            )
        locked.cap_applied_at = timezone.now()
        locked.save(update_fields=["cap_applied_at"])
    return over


def _deadline_in_zone(application: Application) -> str:
    """The confirmation deadline in the applicant's own zone, named (emails are in English)."""
    with translation.override("en"):
        return in_zone(application.round.confirmation_deadline, application.time_zone)


def _confirmation_context(application: Application) -> dict:
    return {
        "name": application.name,
        "round": application.round.name,
        "deadline": _deadline_in_zone(application),
        "starts": dateformat.format(application.round.starts_on, "j F Y"),
        "confirm_url": links.confirmation_url(application),
        "page_url": links.personal_page_url(application),
    }


def awaiting_confirmation(round: Round):
    return Application.objects.filter(
        round=round, status=Application.Status.VERIFIED
    ).select_related("round")


def request_confirmations(round: Round) -> None:
    for application in awaiting_confirmation(round):
        queue_email(
            f"confirm-request:{application.pk}",
            application.email,
            "confirmation_request",
            _confirmation_context(application),
        )


def send_confirmation_reminders(round: Round, now: datetime) -> None:
    """The reminder of the window we are in (3 days before, then 1 day before); a run that
    starts late sends only the most urgent one."""
    if now >= round.confirmation_deadline:
        return
    due = [
        d
        for d in sorted(REMINDER_DAYS_BEFORE_DEADLINE)
        if now >= round.confirmation_deadline - timedelta(days=d)
    ]
    for days in due[:1]:
        for application in awaiting_confirmation(round):
            queue_email(
                f"confirm-reminder-{days}:{application.pk}",
                application.email,
                "confirmation_reminder",
                {**_confirmation_context(application), "days": days},
            )


MATCHING_STATUSES = frozenset({RoundStatus.CONFIRMING, RoundStatus.MATCHING})
"""The round statuses in which the matching may be run."""


def save_hierarchy(round: Round, hierarchy: list[dict], hard_criteria: list[str]) -> None:
    """Store the round's decision hierarchy (criteria by rank, with their weights) and its
    hard criteria; the round's next matching run scores with them."""
    round.hierarchy, round.hard_criteria = hierarchy, hard_criteria
    round.save(update_fields=["hierarchy", "hard_criteria"])
