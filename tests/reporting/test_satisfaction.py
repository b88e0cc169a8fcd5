"""Satisfaction from the surveys in the statistics: the directors' dashboard shows mean
satisfaction and NPS per round and by matching method, the public page only when at least five
people answered, and a partner report quotes only its own pathways' participants who agreed."""

import pytest
from django.conf import settings
from django.urls import reverse

from mentoring.models import PartnerOrganisation, Pathway
from reporting.services import partner_reports
from surveys.models import MatchingMethod, Survey, SurveyResponse
from tests.reporting.test_dashboard import signed_in
from website.factories.reporting import finished_round, people, statistics_index
from website.factories.surveys import SurveyFactory

pytestmark = pytest.mark.django_db


def answer(survey, count, *, method=MatchingMethod.AUTOMATIC, pathway=None, **answers):
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey,
            round=survey.round,
            pathway=pathway,
            matching_method=method,
            answers=answers,
        )
        for _ in range(count)
    )


@pytest.fixture
def round_with_answers():
    round_ = finished_round(name="Round Happy", slug="round-happy")
    survey = SurveyFactory(round=round_, title="End of round", moment=Survey.Moment.END_OF_ROUND)
    answer(survey, 4, satisfaction="5", recommend="10")
    answer(survey, 2, method=MatchingMethod.BY_HAND, satisfaction="2", recommend="3")
    return round_


def test_the_dashboard_shows_satisfaction_and_nps_by_method(client, round_with_answers):
    signed_in(client, settings.DIRECTORS_GROUP)
    html = client.get(reverse("statistics:index")).content.decode()
    assert 'id="chart-satisfaction"' in html
    table = html.split('id="chart-satisfaction"')[1].split("</table>")[0]
    for label in (
        "Mean satisfaction (1 to 5)",
        "Mean satisfaction, matched automatically",
        "Mean satisfaction, placed by hand",
        "Net promoter score, placed by hand",
    ):
        assert label in table
    # 4 answers of 5 and 2 of 2: a mean of 4; NPS (4 promoters - 2 detractors) / 6 = 33.3
    assert ">4<" in table or ">4.0<" in table
    assert "33.3" in table
    assert "-100" in table  # the two placed by hand are both detractors


def test_the_public_page_shows_satisfaction_only_from_five_answers(client, round_with_answers):
    index = statistics_index()
    html = client.get(f"{index.url}round-happy/").content.decode()
    assert "Mean satisfaction (1 to 5)" in html  # six answers in all
    assert "placed by hand" not in html  # only two of them
    rows = client.get(f"{index.url}round-happy/csv/").content.decode()
    assert "satisfaction,nps,Net promoter score,33.3" in rows

    small = finished_round(name="Round Quiet", slug="round-quiet")
    answer(
        SurveyFactory(round=small, moment=Survey.Moment.END_OF_ROUND),
        4,
        satisfaction="1",
        recommend="0",
    )
    html = client.get(f"{index.url}round-quiet/").content.decode()
    assert "Mean satisfaction" not in html
    assert "satisfaction" not in client.get(f"{index.url}round-quiet/csv/").content.decode()


def test_a_partner_report_quotes_only_its_own_consenting_participants():
    round_ = finished_round(name="Round Quoted")
    ours = PartnerOrganisation.objects.create(name="Ours")
    theirs = PartnerOrganisation.objects.create(name="Theirs")
    our_path = Pathway.objects.create(round=round_, organisation=ours, kind="self_declared")
    their_path = Pathway.objects.create(round=round_, organisation=theirs, kind="self_declared")
    survey = SurveyFactory(round=round_)
    people(round_, 5, pathway=our_path)
    answer(survey, 1, pathway=our_path, quote_consent="yes", what_worked="Weekly calls helped")
    answer(survey, 1, pathway=our_path, quote_consent="no", what_worked="Not to be quoted")
    answer(survey, 1, pathway=their_path, quote_consent="yes", what_worked="Their words only")
    starts, ends = round_.starts_on, round_.starts_on
    report = partner_reports.build(ours, starts, ends)
    assert report.quotes == ["Weekly calls helped"]


def test_a_partner_report_of_fewer_than_five_participants_has_no_quotes():
    round_ = finished_round(name="Round Small")
    ours = PartnerOrganisation.objects.create(name="Ours")
    our_path = Pathway.objects.create(round=round_, organisation=ours, kind="self_declared")
    people(round_, 4, pathway=our_path)
    answer(
        SurveyFactory(round=round_), 1, pathway=our_path, quote_consent="yes", what_worked="Mine"
    )
    report = partner_reports.build(ours, round_.starts_on, round_.starts_on)
    assert report.participants is not None and report.quotes == []


def test_the_public_page_shows_satisfaction_by_method_only_when_both_methods_have_five():
    round_ = finished_round(name="Round Mixed", slug="round-mixed")
    survey = SurveyFactory(round=round_, title="End of round", moment=Survey.Moment.END_OF_ROUND)
    answer(survey, 6, satisfaction="5", recommend="10")
    answer(survey, 4, method=MatchingMethod.BY_HAND, satisfaction="1", recommend="0")
    from reporting.services import figures

    public = figures.satisfaction_by_round(figures.compute([round_.pk]), directors=False)[round_.pk]
    assert public["responses"] == 10
    # The automatic figure and the round's would give the four placed by hand away.
    assert "satisfaction_automatic" not in public and "satisfaction_by_hand" not in public
    answer(survey, 1, method=MatchingMethod.BY_HAND, satisfaction="1", recommend="0")
    public = figures.satisfaction_by_round(figures.compute([round_.pk]), directors=False)[round_.pk]
    assert public["satisfaction_automatic"] == 5 and public["satisfaction_by_hand"] == 1


def test_the_dashboard_reads_a_finished_rounds_answers_once(client, round_with_answers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.models import RoundFigures

    signed_in(client, settings.DIRECTORS_GROUP)
    url = reverse("statistics:index")
    client.get(url)  # counts and stores the finished round's figures, satisfaction with them
    stored = RoundFigures.objects.get(round=round_with_answers).figures["satisfaction"]
    assert stored["responses"] == 6
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert "Mean satisfaction" in html
    assert not [q for q in queries if "surveys_surveyresponse" in q["sql"]]
    # An answer that comes in later has the round counted again.
    survey = round_with_answers.surveys.first()
    SurveyResponse.objects.create(
        survey=survey, round=round_with_answers, answers={"satisfaction": "1"}
    )
    client.get(url)
    stored = RoundFigures.objects.get(round=round_with_answers).figures["satisfaction"]
    assert stored["responses"] == 7
