"""Factories for surveys (the partner-satisfaction set by default) and matched participants."""

import json
from datetime import timedelta

import factory
from django.utils import timezone

from mentoring.models import Application, MatchRun, Partnership, ProposedPair
from surveys.models import Survey
from surveys.templates_data import partner_satisfaction_body

from .mentoring import ApplicationFactory, RoundFactory


class SurveyFactory(factory.django.DjangoModelFactory):
    """A mid-round partner-satisfaction survey of a running round, sent yesterday."""

    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Mid-round check {n + 1}")
    kind = Survey.Kind.ROUND
    round = factory.SubFactory(RoundFactory, opened_days_ago=60)
    moment = Survey.Moment.MID_ROUND
    send_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    body = factory.LazyFunction(lambda: json.dumps(partner_satisfaction_body()))


def matched_pair(round, by_hand: bool = False, **fields) -> list[Application]:
    """Two participants of the round partnered by an approved run (adjusted by hand or not)."""
    run = MatchRun.objects.create(round=round, status=MatchRun.Status.APPROVED)
    partnership = Partnership.objects.create(round=round, published_at=timezone.now())
    people = [
        ApplicationFactory(
            round=round, status=Application.Status.MATCHED, partnership=partnership, **fields
        )
        for _ in range(2)
    ]
    ProposedPair.objects.create(
        run=run,
        first=people[0],
        second=people[1],
        score=80,
        adjusted=by_hand,
        partnership=partnership,
    )
    return people
