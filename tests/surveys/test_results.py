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

from surveys.models import Survey, SurveyResponse
from surveys.services.analysis import SatisfactionFigures, consented_quotes, satisfaction_by_round
from surveys.services.responses import save_answers
from surveys.templates_data import TITLE
from tests.factories.surveys import SurveyFactory, matched_pair
from tests.factories.website import UserFactory

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
    signed_in(client, settings.DATA_OFFICERS_GROUP)
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
    "group", [settings.CONTENT_OFFICERS_GROUP, settings.COMMUNICATIONS_OFFICERS_GROUP]
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


def test_satisfaction_by_round_in_one_query(answered):
    other = SurveyFactory()
    answer(other, matched_pair(other.round)[0], satisfaction="2", recommend="3")
    with CaptureQueriesContext(connection) as queries:
        figures = satisfaction_by_round()
    assert len(queries) == 1
    mine = figures[answered.round_id]
    assert mine == SatisfactionFigures(
        responses=3,
        mean_satisfaction=4.0,
        nps=33.3,
        by_method={"automatic": (2, 4.0, 0.0), "by hand": (1, 4.0, 100.0)},
    )
    assert figures[other.round_id].nps == -100.0
    assert set(satisfaction_by_round([other.round_id])) == {other.round_id}


def test_consented_quotes_only(answered):
    quotes = consented_quotes(SurveyResponse.objects.all())
    assert quotes == ["=Great talks", "Good partner"]
