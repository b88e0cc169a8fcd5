"""The surveys' demo: the finished rounds' surveys are full of varied answers on first run,
the satisfaction figures are there, and a second run changes nothing."""

import io

import pytest

from mentoring import demo as mentoring_demo
from surveys import demo
from surveys.models import Survey, SurveyResponse
from surveys.services.analysis import consented_quotes, satisfaction_by_round
from website import demo as website_demo

pytestmark = pytest.mark.django_db


def test_demo_fills_the_finished_rounds_surveys():
    website_demo.build(io.StringIO(), seed=2013)
    mentoring_demo.build(io.StringIO(), seed=2013)
    demo.build(io.StringIO(), seed=2013)
    counts = (Survey.objects.count(), SurveyResponse.objects.count())
    demo.build(io.StringIO(), seed=2013)
    assert (Survey.objects.count(), SurveyResponse.objects.count()) == counts

    finished = Survey.objects.filter(round__slug__in=["round-4", "round-5"])
    assert finished.count() == 4
    assert all(survey.responses.count() > 5 for survey in finished)
    figures = satisfaction_by_round()
    assert {survey.round_id for survey in finished} <= set(figures)
    for round_id in {survey.round_id for survey in finished}:
        assert 2.5 < figures[round_id].mean_satisfaction < 4.8
        assert figures[round_id].by_method["automatic"][0] > 0
    satisfactions = set(SurveyResponse.objects.values_list("answers__satisfaction", flat=True))
    assert len(satisfactions) >= 3
    assert consented_quotes(SurveyResponse.objects.all())
    scheduled = Survey.objects.get(round__slug="round-6")
    assert not scheduled.is_open()
