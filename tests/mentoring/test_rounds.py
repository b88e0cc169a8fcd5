"""A round's status follows from its dates; its dates must be in order."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentoring.models import Round, RoundStatus
from website.factories.mentoring import RoundFactory


@pytest.mark.django_db
def test_status_at_each_boundary():
    round = RoundFactory(opened_days_ago=-1)
    assert round.status == RoundStatus.UPCOMING
    at = round.status_at
    assert at(round.application_opens_at - timedelta(seconds=1)) == RoundStatus.UPCOMING
    assert at(round.application_opens_at) == RoundStatus.APPLICATIONS_OPEN
    assert at(round.application_closes_at) == RoundStatus.CONFIRMING
    assert at(round.confirmation_deadline) == RoundStatus.MATCHING
    assert at(round.start_datetime) == RoundStatus.RUNNING
    assert at(round.end_datetime - timedelta(seconds=1)) == RoundStatus.RUNNING
    assert at(round.end_datetime) == RoundStatus.FINISHED


@pytest.mark.django_db
def test_applications_open_query_matches_the_status():
    open_round = RoundFactory(opened_days_ago=3)
    RoundFactory(opened_days_ago=-5)
    RoundFactory(opened_days_ago=60)
    assert list(Round.objects.applications_open()) == [open_round]
    assert open_round.status == RoundStatus.APPLICATIONS_OPEN


@pytest.mark.django_db
def test_dates_out_of_order_are_refused_with_a_message_per_field():
    round = RoundFactory.build(opened_days_ago=3)
    round.confirmation_deadline = round.application_closes_at - timedelta(days=1)
    round.ends_on = round.starts_on
    with pytest.raises(ValidationError) as error:
        round.full_clean()
    assert "confirmation_deadline" in error.value.message_dict
    assert "ends_on" in error.value.message_dict


def test_topic_schedule_weekly_and_fortnightly():
    now = timezone.now()
    round = Round(
        application_opens_at=now,
        application_closes_at=now,
        confirmation_deadline=now,
        matching_date=now,
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 29),
        topic_frequency=Round.TopicFrequency.FORTNIGHTLY,
    )
    assert round.topic_release_dates() == [date(2027, 3, 1), date(2027, 3, 15), date(2027, 3, 29)]
    round.topic_frequency = Round.TopicFrequency.WEEKLY
    assert len(round.topic_release_dates()) == 5
