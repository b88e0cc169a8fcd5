"""A director builds a survey with a branch through the admin's add form; a branch on a
question that is not earlier is refused with a message and nothing is saved."""

import pytest
from django.conf import settings
from django.urls import reverse

from mentoring.models import Round
from surveys.models import Survey
from website.factories.mentoring import RoundFactory
from website.factories.website import UserFactory

pytestmark = pytest.mark.django_db


def question(prefix: str, index: int, key: str, kind: str, choices="", show_if=("", "")) -> dict:
    p = f"{prefix}-{index}"
    return {
        f"{p}-deleted": "",
        f"{p}-order": str(index),
        f"{p}-id": "",
        f"{p}-value-key": key,
        f"{p}-value-text": f"Question {key}?",
        f"{p}-value-help_text": "",
        f"{p}-value-kind": kind,
        f"{p}-value-choices": choices,
        f"{p}-value-required": "on",
        f"{p}-value-show_if-question": show_if[0],
        f"{p}-value-show_if-values": show_if[1],
    }


def survey_post(round: Round, branch_on: str) -> dict:
    q = "body-0-value-questions"
    return {
        "title": "Built by hand",
        "kind": "round",
        "round": str(round.pk),
        "moment": "mid_round",
        "send_on": round.starts_on.isoformat(),
        "closes_on": "",
        "slug": "",
        "intro": "",
        "body-count": "1",
        "body-0-type": "section",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "body-0-value-heading": "Meeting",
        "body-0-value-intro": "",
        "body-0-value-show_if-question": "",
        "body-0-value-show_if-values": "",
        f"{q}-count": "2",
        **question(q, 0, "met", "yesno"),
        **question(q, 1, "how_often", "single", "Weekly\nMonthly", show_if=(branch_on, "yes")),
    }


@pytest.fixture
def director(client):
    client.force_login(UserFactory(username="director", groups=[settings.DIRECTORS_GROUP]))


def test_director_builds_a_survey_with_a_branch(client, director):
    round = RoundFactory()
    response = client.post(reverse("wagtailsnippets_surveys_survey:add"), survey_post(round, "met"))
    assert response.status_code == 302, response.content.decode()[:3000]
    survey = Survey.objects.get(title="Built by hand")
    how_often = survey.definition.question("how_often")
    assert how_often.condition.question == "met" and how_often.choices == ("Weekly", "Monthly")
    assert survey.definition.visible_keys({"met": "no"}) == {"met"}


def test_a_branch_on_a_later_or_unknown_question_is_refused(client, director):
    round = RoundFactory()
    response = client.post(
        reverse("wagtailsnippets_surveys_survey:add"), survey_post(round, "nosuch")
    )
    assert response.status_code == 200
    assert "which is not an earlier question" in response.content.decode()
    assert not Survey.objects.filter(title="Built by hand").exists()
