"""Answering a survey through HTTP: branching decided on the server, one response per
person editable until the survey closes, the personal page's list, and erasure."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from mentoring import links as mentoring_links
from mentoring.services.participants import erase_personal_data
from surveys import links
from surveys.models import MatchingMethod, Survey, SurveyResponse
from website.factories.surveys import SurveyFactory, matched_pair

pytestmark = pytest.mark.django_db


def answer_path(survey, application) -> str:
    return reverse("surveys:answer", kwargs={"token": links.make_token(survey, application)})


FULL = {
    "q_met_partner": "yes",
    "q_meeting_frequency": "Every two weeks",
    "q_satisfaction": "4",
    "q_recommend": "9",
    "q_what_worked": "Our talks about open access.",
    "q_what_did_not": "Time zones.",
    "q_quote_consent": "yes",
}


@pytest.fixture
def survey():
    return SurveyFactory()


@pytest.fixture
def participant(survey):
    return matched_pair(survey.round, pathway=None, country="GH", sector="academic")[0]


def test_hidden_required_question_is_not_required(client, survey, participant):
    path = answer_path(survey, participant)
    data = {**FULL, "q_met_partner": "no"}
    del data["q_meeting_frequency"]
    response = client.post(path, data)
    assert response.status_code == 302
    assert "meeting_frequency" not in SurveyResponse.objects.get().answers

    # Shown (met = yes), the same question is required.
    other = matched_pair(survey.round)[0]
    response = client.post(answer_path(survey, other), {**data, "q_met_partner": "yes"})
    assert response.status_code == 200
    assert "Please answer this question." in response.content.decode()
    assert SurveyResponse.objects.filter(application=other).count() == 0


def test_crafted_answer_to_a_hidden_question_is_not_stored(client, survey, participant):
    client.post(answer_path(survey, participant), {**FULL, "q_met_partner": "no"})
    stored = SurveyResponse.objects.get()
    assert stored.answers["met_partner"] == "no"
    assert "meeting_frequency" not in stored.answers
    assert stored.answers["satisfaction"] == "4"


def test_answers_are_stored_with_what_analysis_needs(client, survey, participant):
    client.post(answer_path(survey, participant), FULL)
    stored = SurveyResponse.objects.get()
    assert stored.application == participant
    assert stored.round == survey.round
    assert stored.country == "GH"
    assert stored.sector == "academic"
    assert stored.partnership == participant.partnership
    assert stored.matching_method == MatchingMethod.AUTOMATIC
    assert stored.answers["meeting_frequency"] == "Every two weeks"


def test_one_response_per_person_edited_until_the_survey_closes(client, survey, participant):
    path = answer_path(survey, participant)
    client.post(path, FULL)
    response = client.get(path)
    page = response.content.decode()
    assert "You answered on" in page
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("input", {"name": "q_satisfaction", "value": "4"}).has_attr("checked")

    client.post(path, {**FULL, "q_satisfaction": "2"})
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().answers["satisfaction"] == "2"

    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    response = client.post(path, {**FULL, "q_satisfaction": "5"})
    assert response.status_code == 403
    assert "This survey is closed" in response.content.decode()
    assert SurveyResponse.objects.get().answers["satisfaction"] == "2"


def test_a_survey_not_yet_sent_takes_no_answers(client, participant, survey):
    Survey.objects.filter(pk=survey.pk).update(send_on=timezone.localdate() + timedelta(days=3))
    response = client.post(answer_path(survey, participant), FULL)
    assert response.status_code == 403
    assert not SurveyResponse.objects.exists()


def test_a_link_for_another_round_or_a_tampered_link_is_refused(client, survey, participant):
    other_round_survey = SurveyFactory()
    response = client.post(answer_path(other_round_survey, participant), FULL)
    assert response.status_code == 400
    response = client.get(answer_path(survey, participant)[:-5] + "xx/")
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_personal_page_lists_open_surveys(client, survey, participant):
    token = mentoring_links.make_token(
        mentoring_links.PERSONAL, participant.pk, participant.access_key
    )
    page = client.get(reverse("mentoring:personal_page", kwargs={"token": token}))
    soup = BeautifulSoup(page.content.decode(), "html.parser")
    link = soup.select_one("[data-open-surveys] a")
    assert link.text == survey.title
    response = client.get(link["href"].replace("http://testserver", ""))
    assert response.status_code == 200
    assert "How satisfied are you" in response.content.decode()


def test_erasure_leaves_only_anonymous_answers(client, survey, participant):
    path = answer_path(survey, participant)
    client.post(path, FULL)
    erase_personal_data(participant)
    stored = SurveyResponse.objects.get()
    assert stored.application is None
    assert stored.partnership is None
    assert stored.anonymised_at is not None
    assert "what_worked" not in stored.answers
    assert "what_did_not" not in stored.answers
    assert stored.answers["satisfaction"] == "4"
    assert stored.round == survey.round and stored.country == "GH"
    # The old link is dead.
    assert client.get(path).status_code == 400


def test_public_survey_is_anonymous_with_honeypot_and_rate_limit(client, settings):
    settings.SUBMISSION_RATE_LIMIT = 1
    survey = SurveyFactory(
        kind=Survey.Kind.PUBLIC, round=None, moment="", send_on=None, slug="reading"
    )
    path = reverse("surveys:public", kwargs={"slug": "reading"})
    assert client.get(path).status_code == 200
    response = client.post(path, {**FULL, "website": "spam"})
    assert response.status_code == 302
    assert not SurveyResponse.objects.exists()
    response = client.post(path, FULL)
    assert response.status_code == 302
    stored = SurveyResponse.objects.get()
    assert stored.application is None and stored.survey == survey
    response = client.post(path, FULL)
    assert response.status_code == 200
    assert SurveyResponse.objects.count() == 1


def test_the_data_download_includes_the_answers(client, survey, participant):
    client.post(answer_path(survey, participant), FULL)
    token = mentoring_links.make_token(
        mentoring_links.PERSONAL, participant.pk, participant.access_key
    )
    response = client.get(reverse("mentoring:download_data", kwargs={"token": token}))
    data = json.loads(response.content)
    assert data["survey_responses"][0]["answers"]["what_worked"] == FULL["q_what_worked"]


def test_someone_who_withdrew_can_no_longer_answer(client, survey, participant):
    participant.status = participant.Status.WITHDRAWN
    participant.save(update_fields=["status"])
    response = client.post(answer_path(survey, participant), FULL)
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()
