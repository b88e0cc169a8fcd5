"""Results in the admin (counts, SVG bars, free text, filters), the CSV and XLSX exports,
the copy of the template, and the analysis API the dashboard and partner reports call."""

import csv
import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from mentoring.models import PartnerOrganisation, Pathway
from surveys.models import Survey, SurveyResponse
from surveys.services.analysis import (
    SatisfactionFigures,
    consented_quotes,
    satisfaction_by_round,
    satisfaction_for_pathways,
)
from surveys.services.responses import save_answers, save_public_answers
from surveys.templates_data import TITLE
from website.factories.surveys import SurveyFactory, matched_pair
from website.factories.website import UserFactory

pytestmark = pytest.mark.django_db
NS = "wagtailsnippets_surveys_survey"


def answer(survey, person, met="yes", satisfaction="4", recommend="9", consent="no", text=""):
    save_answers(
        survey,
        person,
        {
            "met_partner": met,
            "meeting_frequency": "Every week",
            "satisfaction": satisfaction,
            "recommend": recommend,
            "what_worked": text,
            "quote_consent": consent,
        },
    )


@pytest.fixture
def answered():
    survey = SurveyFactory(title="Mid-round 2026")
    ghana = matched_pair(survey.round, country="GH", sector="academic")
    chile = matched_pair(survey.round, by_hand=True, country="CL", sector="public")
    answer(survey, ghana[0], satisfaction="5", recommend="10", consent="yes", text="=Great talks")
    answer(survey, ghana[1], met="no", satisfaction="3", recommend="6", text="No time")
    answer(survey, chile[0], satisfaction="4", recommend="9", consent="yes", text="Good partner")
    return survey


def signed_in(client, group):
    user = UserFactory(username=group.lower().replace(" ", "-"), groups=[group])
    client.force_login(user)
    return user


def test_results_show_counts_bars_and_free_text(client, answered):
    signed_in(client, settings.DIRECTORS_GROUP)
    response = client.get(reverse(f"{NS}:results", args=[answered.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-response-count="3"' in page
    assert page.count("<svg data-chart") >= 5 + 11 + 2
    assert "No time" in page and "Good partner" in page
    assert "Mean: 4.0" in page

    response = client.get(reverse(f"{NS}:results", args=[answered.pk]), {"country": "CL"})
    page = response.content.decode()
    assert 'data-response-count="1"' in page
    assert "No time" not in page


def test_raw_export_has_a_row_a_response_and_a_column_a_key(client, answered):
    signed_in(client, settings.DIRECTORS_GROUP)
    response = client.get(reverse(f"{NS}:export_raw", args=[answered.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "response", "submitted", "round", "pathway", "country", "sector", "matching_method",
        "met_partner", "meeting_frequency", "satisfaction", "recommend", "what_worked",
        "what_did_not", "quote_consent",
    ]  # fmt: skip
    assert len(rows) == 4
    by_country = {row[4]: row for row in rows[1:]}
    assert by_country["CL"][6] == "by hand"
    assert "'=Great talks" in [row[11] for row in rows[1:]]  # a formula is never run

    response = client.get(reverse(f"{NS}:export_raw", args=[answered.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))][7:] == rows[0][7:]
    assert sheet.max_row == 4


def test_summary_export_counts_each_answer(client, answered):
    signed_in(client, settings.DIRECTORS_GROUP)
    response = client.get(reverse(f"{NS}:export_summary", args=[answered.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:5] == ["key", "question", "answer", "count", "share_percent"]
    met = {row[2]: row[3] for row in rows if row[0] == "met_partner"}
    assert met == {"Yes": 2, "No": 1}


@pytest.mark.parametrize(
    "group",
    [
        settings.DATA_OFFICERS_GROUP,
        settings.CONTENT_OFFICERS_GROUP,
        settings.COMMUNICATIONS_OFFICERS_GROUP,
    ],
)
def test_other_roles_see_no_results(client, answered, group):
    signed_in(client, group)
    for name, args in (("results", []), ("export_raw", ["csv"]), ("export_summary", ["xlsx"])):
        response = client.get(reverse(f"{NS}:{name}", args=[answered.pk, *args]))
        assert response.status_code in (302, 403)
        assert b"No time" not in response.content


def test_copying_the_template_makes_a_survey_for_a_round(client, answered):
    signed_in(client, settings.DIRECTORS_GROUP)
    template = Survey.objects.get(is_template=True, title=TITLE)
    response = client.get(reverse(f"{NS}:copy", args=[template.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Partner satisfaction (template) (copy)" in page
    assert "meeting_frequency" in page
    assert Survey.objects.filter(is_template=True).count() == 1


def test_a_condition_on_a_later_or_unknown_question_is_refused(answered):
    from django.core.exceptions import ValidationError

    survey = Survey.objects.get(pk=answered.pk)
    survey.body[0].value["questions"][1]["show_if"]["question"] = "recommend"
    with pytest.raises(ValidationError) as error:
        survey.clean()
    assert "not an earlier question" in str(error.value)


def end_of_round(round=None, **fields):
    """An end-of-round survey taking answers now (sent yesterday)."""
    extra = {"round": round} if round is not None else {}
    return SurveyFactory(moment=Survey.Moment.END_OF_ROUND, **extra, **fields)


@pytest.fixture
def ended():
    survey = end_of_round(title="End of round 2026")
    ghana = matched_pair(survey.round, country="GH", sector="academic")
    chile = matched_pair(survey.round, by_hand=True, country="CL", sector="public")
    answer(survey, ghana[0], satisfaction="5", recommend="10", consent="yes", text="=Great talks")
    answer(survey, ghana[1], met="no", satisfaction="3", recommend="6", text="No time")
    answer(survey, chile[0], satisfaction="4", recommend="9", consent="yes", text="Good partner")
    # The same people's mid-round check-in does not count them a second time.
    mid = SurveyFactory(round=survey.round)
    for person in ghana + chile[:1]:
        answer(mid, person, satisfaction="1", recommend="0")
    # Nor does a public survey, whatever is answered there.
    public = SurveyFactory(
        kind=Survey.Kind.PUBLIC, round=None, moment="", send_on=None, slug="open-feedback"
    )
    for _ in range(3):
        save_public_answers(public, {"satisfaction": "1", "recommend": "0"})
    return survey, ghana + chile


def test_satisfaction_by_round_counts_each_person_once_in_one_query(ended):
    survey, _people = ended
    other = end_of_round()
    answer(other, matched_pair(other.round)[0], satisfaction="2", recommend="3")
    with CaptureQueriesContext(connection) as queries:
        figures = satisfaction_by_round()
    assert len(queries) == 1
    mine = figures[survey.round_id]
    assert mine == SatisfactionFigures(
        responses=3,
        mean_satisfaction=4.0,
        nps=33.3,
        by_method={"automatic": (2, 4.0, 0.0), "by hand": (1, 4.0, 100.0)},
    )
    assert set(figures) == {survey.round_id, other.round_id}
    assert figures[other.round_id].nps == -100.0
    assert set(satisfaction_by_round([other.round_id])) == {other.round_id}


def test_answers_that_are_not_scores_are_left_out(ended):
    survey, people = ended
    response = SurveyResponse.objects.get(survey=survey, application=people[0])
    response.answers = {**response.answers, "satisfaction": "very", "recommend": "11"}
    response.save()
    figures = satisfaction_by_round([survey.round_id])[survey.round_id]
    assert (figures.responses, figures.mean_satisfaction, figures.nps) == (2, 3.5, 0.0)


def test_satisfaction_for_pathways_counts_only_those_pathways(ended):
    survey, people = ended
    ours = Pathway.objects.create(
        round=survey.round,
        organisation=PartnerOrganisation.objects.create(name="Ours"),
        kind="self_declared",
    )
    SurveyResponse.objects.filter(application__in=people[:2]).update(pathway=ours)
    with CaptureQueriesContext(connection) as queries:
        figures = satisfaction_for_pathways([ours.pk])
    assert len(queries) == 1
    assert figures == SatisfactionFigures(
        responses=2,
        mean_satisfaction=4.0,
        nps=0.0,
        by_method={"automatic": (2, 4.0, 0.0), "by hand": (0, None, None)},
    )
    assert satisfaction_for_pathways([]) is None


def test_a_public_survey_keeps_no_round_or_moment(answered):
    survey = Survey(
        title="Open",
        kind=Survey.Kind.PUBLIC,
        slug="open",
        round=answered.round,
        moment=Survey.Moment.END_OF_ROUND,
    )
    survey.clean()
    assert (survey.round, survey.moment) == (None, "")


def test_a_round_has_one_end_of_round_survey(ended):
    from django.core.exceptions import ValidationError

    survey, _people = ended
    second = Survey(
        title="Again",
        kind=Survey.Kind.ROUND,
        round=survey.round,
        moment=Survey.Moment.END_OF_ROUND,
        body=survey.body.raw_data,
    )
    with pytest.raises(ValidationError) as error:
        second.clean()
    assert "already has an end-of-round survey" in str(error.value)


def test_consented_quotes_only(answered):
    quotes = consented_quotes(SurveyResponse.objects.all())
    assert quotes == ["=Great talks", "Good partner"]


def test_copying_last_rounds_survey_clears_its_round_moment_and_dates(client, answered):
    from bs4 import BeautifulSoup

    signed_in(client, settings.DIRECTORS_GROUP)
    response = client.get(reverse(f"{NS}:copy", args=[answered.pk]))
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser")
    assert form.select_one("select[name=round] option[selected]")["value"] == ""
    moment = form.select_one("select[name=moment] option[selected]")
    assert moment is None or moment["value"] == ""
    assert not form.select_one("input[name=send_on]").get("value")


def test_data_officers_inspect_a_survey_without_its_answers(client, answered):
    signed_in(client, settings.DATA_OFFICERS_GROUP)
    listing = client.get(reverse(f"{NS}:list"))
    assert listing.status_code == 200
    assert answered.title in listing.content.decode()
    results = reverse(f"{NS}:results", args=[answered.pk])
    assert results not in listing.content.decode()
    inspect = client.get(reverse(f"{NS}:inspect", args=[answered.pk]))
    assert inspect.status_code == 200
    page = inspect.content.decode()
    assert "meeting_frequency" in page or "How often" in page
    assert results not in page
    assert "No time" not in page
