"""Beat sends each active participant their survey link once, and one reminder a week later to
those who have not answered; running the task again sends nothing twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys import tasks
from surveys.models import Survey
from surveys.services import sending
from surveys.services.responses import save_answers
from website.factories.mentoring import ApplicationFactory
from website.factories.surveys import SurveyFactory, matched_pair
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db


def messages(template: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(template=template).order_by("to"))


def test_link_sent_once_then_one_reminder_never_twice():
    survey = SurveyFactory(send_on=timezone.localdate())
    people = matched_pair(survey.round) + matched_pair(survey.round, by_hand=True)
    ApplicationFactory(round=survey.round)  # not a participant: never asked
    tasks.send_round_surveys()
    tasks.send_round_surveys()
    invitations = messages("survey_invitation")
    assert sorted(m.to for m in invitations) == sorted(p.email for p in people)
    assert all(survey.title in m.context["survey"] for m in invitations)
    assert not messages("survey_reminder")

    save_answers(survey, people[0], {"satisfaction": "5"})
    later = timezone.now() + sending.REMINDER_AFTER + timedelta(hours=1)
    sending.run(later)
    sending.run(later)
    reminders = messages("survey_reminder")
    assert sorted(m.to for m in reminders) == sorted(p.email for p in people[1:])
    assert len(messages("survey_invitation")) == 4


def test_the_link_in_the_email_opens_the_survey(client):
    survey = SurveyFactory()
    person = matched_pair(survey.round)[0]
    sending.run()
    url = OutboundEmail.objects.get(to=person.email).context["url"]
    response = client.get(url.replace("http://testserver", "").replace("http://localhost:8000", ""))
    assert response.status_code == 200
    assert survey.title in response.content.decode()


def test_templates_future_surveys_and_closed_ones_send_nothing():
    SurveyFactory(is_template=True)
    SurveyFactory(send_on=timezone.localdate() + timedelta(days=2))
    closed = SurveyFactory(send_on=timezone.localdate() - timedelta(days=40))
    for survey in Survey.objects.filter(round__isnull=False):
        matched_pair(survey.round)
    assert closed.closes_at < timezone.now()
    sending.run()
    assert not OutboundEmail.objects.exists()


def test_a_late_joiner_is_reminded_a_week_after_their_own_link_and_no_link_is_signed_twice(
    monkeypatch,
):
    survey = SurveyFactory(send_on=timezone.localdate())
    early = matched_pair(survey.round)
    sending.run()
    week_later = timezone.now() + sending.REMINDER_AFTER + timedelta(hours=1)
    late = matched_pair(survey.round)
    sending.run(week_later - timedelta(days=1))
    # The late pair's links were queued on that day, six days after the first ones.
    OutboundEmail.objects.filter(to__in=[p.email for p in late]).update(
        created_at=week_later - timedelta(days=1)
    )
    assert not messages("survey_reminder")
    signed = []
    real = sending.links.answer_url
    monkeypatch.setattr(sending.links, "answer_url", lambda *a: signed.append(a) or real(*a))
    sending.run(week_later)
    assert sorted(m.to for m in messages("survey_reminder")) == sorted(p.email for p in early)
    sending.run(week_later)
    assert len(signed) == 2  # the two reminders; nobody already invited gets a new link
    sending.run(week_later + sending.REMINDER_AFTER)
    assert sorted(m.to for m in messages("survey_reminder")) == sorted(
        p.email for p in early + late
    )
