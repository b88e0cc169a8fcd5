"""Sending round surveys, run by Celery beat: on the send date each active participant of
the round gets their personal link once; a week later, if they have not answered and the
survey is still open, one reminder. The outbox keys make every message happen at most once,
however often the task runs."""

from datetime import datetime, timedelta

from django.utils import dateformat, timezone

from mentoring.services.participants import active_participants
from surveys import links
from surveys.models import Survey, SurveyResponse
from website.outbox import queue_email

REMINDER_AFTER = timedelta(days=7)


def invitation_key(survey: Survey, application_id: int) -> str:
    return f"survey:{survey.pk}:invite:{application_id}"


def reminder_key(survey: Survey, application_id: int) -> str:
    return f"survey:{survey.pk}:reminder:{application_id}"


def due_surveys(now: datetime):
    """Round surveys whose send date has come and which are not closed."""
    candidates = Survey.objects.filter(
        kind=Survey.Kind.ROUND, is_template=False, round__isnull=False
    ).select_related("round")
    return [survey for survey in candidates if survey.opens_at and survey.is_open(now)]


def _context(survey: Survey, application) -> dict:
    closes = survey.closes_at
    return {
        "name": application.name,
        "survey": survey.title,
        "round": survey.round.name,
        "url": links.answer_url(survey, application),
        "closes": dateformat.format(closes - timedelta(days=1), "j F Y") if closes else "",
    }


def send_survey(survey: Survey, now: datetime) -> tuple[int, int]:
    """Queue the links (and the reminders that are due) of one survey; returns how many of
    each were asked for (the outbox ignores those already queued)."""
    answered = set(
        SurveyResponse.objects.filter(survey=survey, application__isnull=False).values_list(
            "application_id", flat=True
        )
    )
    remind = now >= survey.opens_at + REMINDER_AFTER
    invited = reminded = 0
    for application in active_participants(survey.round):
        context = _context(survey, application)
        queue_email(
            invitation_key(survey, application.pk), application.email, "survey_invitation", context
        )
        invited += 1
        if remind and application.pk not in answered:
            queue_email(
                reminder_key(survey, application.pk),
                application.email,
                "survey_reminder",
                context,
            )
            reminded += 1
    return invited, reminded


def run(now: datetime | None = None) -> None:
    now = now or timezone.now()
    for survey in due_surveys(now):
        send_survey(survey, now)
