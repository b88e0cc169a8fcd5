"""Sending round surveys, run by Celery beat: on the send date each active participant of
the round gets their personal link once; a week later, if they have not answered and the
survey is still open, one reminder. The outbox keys make every message happen at most once,
however often the task runs."""

from datetime import datetime, timedelta

from django.utils import dateformat, timezone

from mentoring.services.participants import active_participants
from surveys import links
from surveys.models import Survey, SurveyResponse
from website.models import OutboundEmail
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
    each were queued now. The survey's outbox rows are read in one query: a person already
    invited (or reminded) is skipped without signing a new link. The reminder goes to those
    who have not answered and whose own invitation is at least a week old (someone who joined
    the round late gets their reminder a week after their own link)."""
    prefix = f"survey:{survey.pk}:"
    queued = dict(
        OutboundEmail.objects.filter(key__startswith=prefix).values_list("key", "created_at")
    )
    answered = set(
        SurveyResponse.objects.filter(survey=survey, application__isnull=False).values_list(
            "application_id", flat=True
        )
    )
    invited = reminded = 0
    for application in active_participants(survey.round):
        invitation = invitation_key(survey, application.pk)
        reminder = reminder_key(survey, application.pk)
        invited_at = queued.get(invitation)
        if invited_at is None:
            queue_email(
                invitation, application.email, "survey_invitation", _context(survey, application)
            )
            invited += 1
            continue
        if (
            reminder not in queued
            and application.pk not in answered
            and now >= invited_at + REMINDER_AFTER
        ):
            queue_email(
                reminder, application.email, "survey_reminder", _context(survey, application)
            )
            reminded += 1
    return invited, reminded


def run(now: datetime | None = None) -> None:
    now = now or timezone.now()
    for survey in due_surveys(now):
        send_survey(survey, now)
