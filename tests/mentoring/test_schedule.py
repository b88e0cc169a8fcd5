"""The beat job moves rounds along their dates: the interest list is told once, the
country cap sends late arrivals to the waitlist, which rolls into the next round, and
verified applicants are asked and reminded to confirm, once each."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring.models import Application
from mentoring.services import interest, rounds
from mentoring.tasks import run_round_schedule
from website.factories.mentoring import ApplicationFactory, InterestedPersonFactory, RoundFactory
from website.models import OutboundEmail


def keys(prefix: str) -> set[str]:
    return set(OutboundEmail.objects.filter(key__startswith=prefix).values_list("key", flat=True))


@pytest.mark.django_db
def test_interest_list_is_told_once_when_a_round_opens():
    on_list = InterestedPersonFactory()
    InterestedPersonFactory(confirmed_at=None)
    InterestedPersonFactory(unsubscribed_at=timezone.now())
    round = RoundFactory(opened_days_ago=1)
    run_round_schedule.apply()
    run_round_schedule.apply()
    interest.notify_round_open(round)
    messages = OutboundEmail.objects.filter(template="interest_round_open")
    assert [m.to for m in messages] == [on_list.email]
    assert messages.get().bulk is True
    assert "/interest/unsubscribe/" in messages.get().context["unsubscribe_url"]


@pytest.mark.django_db
def test_nothing_is_sent_for_an_upcoming_round():
    InterestedPersonFactory()
    RoundFactory(opened_days_ago=-3)
    run_round_schedule.apply()
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db
def test_country_cap_waitlists_the_latest_arrivals_once():
    round = RoundFactory(opened_days_ago=23, country_cap_percent=20)
    start = round.application_opens_at
    australians = []
    for index in range(5):
        application = ApplicationFactory(round=round, country="AU")
        Application.objects.filter(pk=application.pk).update(
            created_at=start + timedelta(hours=index)
        )
        australians.append(application)
    for country in ["KE", "BR", "IN", "FR", "JP"]:
        ApplicationFactory(round=round, country=country)
    ApplicationFactory(round=round, country="AU", status=Application.Status.UNVERIFIED)

    assert rounds.country_cap(round, 10) == 2
    waitlisted = rounds.apply_country_cap(round)
    assert set(waitlisted) == {a.pk for a in australians[2:]}
    assert rounds.apply_country_cap(round) == []
    statuses = dict(
        Application.objects.filter(
            country="AU", status__in=[Application.Status.VERIFIED, Application.Status.WAITLISTED]
        ).values_list("pk", "status")
    )
    assert statuses[australians[0].pk] == Application.Status.VERIFIED
    assert statuses[australians[4].pk] == Application.Status.WAITLISTED
    assert len(keys("waitlisted:")) == 3


@pytest.mark.django_db
def test_waitlisted_people_roll_into_the_next_round_once():
    old = RoundFactory(opened_days_ago=200)
    waiting = ApplicationFactory(round=old, status=Application.Status.WAITLISTED)
    waiting.interests.set([])
    new = RoundFactory(opened_days_ago=1)
    assert rounds.roll_waitlist_into(new) == 1
    assert rounds.roll_waitlist_into(new) == 0
    moved = Application.objects.get(round=new)
    assert moved.rolled_from == waiting
    assert moved.status == Application.Status.VERIFIED
    assert moved.person == waiting.person


@pytest.mark.django_db
def test_confirmation_requests_and_reminders_go_once_each():
    round = RoundFactory(opened_days_ago=22)
    verified = ApplicationFactory(round=round)
    ApplicationFactory(round=round, status=Application.Status.CONFIRMED, country="KE")
    ApplicationFactory(round=round, status=Application.Status.UNVERIFIED, country="FR")
    now = timezone.now()
    rounds.run_schedule(now)
    rounds.run_schedule(now)
    assert keys("confirm-request:") == {f"confirm-request:{verified.pk}"}
    assert keys("confirm-reminder") == set()

    late = round.confirmation_deadline - timedelta(hours=12)
    rounds.run_schedule(late)
    rounds.run_schedule(late)
    assert keys("confirm-reminder") == {f"confirm-reminder-1:{verified.pk}"}
    message = OutboundEmail.objects.get(key=f"confirm-request:{verified.pk}")
    assert "/me/" in message.context["confirm_url"]
