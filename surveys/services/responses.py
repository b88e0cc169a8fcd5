"""Answering a survey: what counts as an answer (only to the questions shown), one response
per person kept editable until the survey closes, and what stays after erasure."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.models import Application, Partnership, Person
from surveys.definition import Answer, Definition
from surveys.models import MatchingMethod, Survey, SurveyResponse


class SurveyClosed(Exception):
    """The survey does not take answers now (not yet sent, or closed)."""


class NotInvited(Exception):
    """This person is not among the survey's participants."""


def matching_method(partnership: Partnership | None) -> str:
    """ "automatic" for a pair the engine proposed and nobody changed, "by hand" for one a
    director formed or changed in the review, "" when the records do not tell."""
    if partnership is None:
        return ""
    proposal = getattr(partnership, "proposal", None)
    if proposal is None:
        return ""
    return (
        MatchingMethod.BY_HAND
        if (proposal.adjusted or proposal.pinned)
        else MatchingMethod.AUTOMATIC
    )


def kept_answers(definition: Definition, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """The answers to the questions that were shown, without empty ones."""
    visible = definition.visible_keys(answers)
    return {
        key: value
        for key, value in answers.items()
        if key in visible and value not in (None, "", [])
    }


def response_of(survey: Survey, application: Application) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(survey=survey, application=application).first()


def may_answer(survey: Survey, application: Application) -> bool:
    return (
        survey.kind == Survey.Kind.ROUND
        and survey.round_id == application.round_id
        and application.erased_at is None
        and application.status in Application.PARTICIPANT_STATUSES
    )


@dataclass(frozen=True)
class Saved:
    response: SurveyResponse
    created: bool


def save_answers(survey: Survey, application: Application, answers: Mapping[str, Answer]) -> Saved:
    """Store (or replace) the person's answers while the survey is open."""
    if not may_answer(survey, application):
        raise NotInvited(_("This survey is not for you."))
    if not survey.is_open():
        raise SurveyClosed(_("This survey is closed."))
    kept = kept_answers(survey.definition, answers)
    partnership = application.partnership
    snapshot = {
        "round_id": application.round_id,
        "pathway_id": application.pathway_id,
        "country": application.country.code or "",
        "sector": application.sector,
        "partnership": partnership,
        "matching_method": matching_method(partnership),
        "answers": kept,
    }
    with transaction.atomic():
        response = (
            SurveyResponse.objects.select_for_update()
            .filter(survey=survey, application=application)
            .first()
        )
        if response is not None:
            for field, value in snapshot.items():
                setattr(response, field, value)
            response.save()
            return Saved(response, created=False)
        try:
            with transaction.atomic():
                response = SurveyResponse.objects.create(
                    survey=survey, application=application, **snapshot
                )
        except IntegrityError:
            # A second tab sent the form at the same moment: theirs is the one response.
            response = SurveyResponse.objects.get(survey=survey, application=application)
            response.answers = kept
            response.save(update_fields=["answers", "updated_at"])
            return Saved(response, created=False)
    return Saved(response, created=True)


def save_public_answers(survey: Survey, answers: Mapping[str, Answer]) -> SurveyResponse:
    if survey.kind != Survey.Kind.PUBLIC or not survey.is_open():
        raise SurveyClosed(_("This survey is closed."))
    return SurveyResponse.objects.create(
        survey=survey, answers=kept_answers(survey.definition, answers)
    )


def anonymise(responses) -> int:
    """Cut the link to the person and drop every free-text answer; choices, scales and the
    aggregate fields (round, pathway, country, sector, method) stay for the figures."""
    now = timezone.now()
    changed = []
    for response in responses.select_related("survey"):
        definition = response.survey.definition
        text_keys = {q.key for q in definition.questions if q.is_text}
        response.answers = {
            key: value
            for key, value in response.answers.items()
            if key not in text_keys and (definition.question(key) is not None)
        }
        response.application = None
        response.partnership = None
        response.anonymised_at = now
        changed.append(response)
    SurveyResponse.objects.bulk_update(
        changed, ["answers", "application", "partnership", "anonymised_at"]
    )
    return len(changed)


def anonymise_on_erasure(sender, person: Person, applications, **kwargs) -> None:
    """Receiver of mentoring's `personal_data_erased`."""
    anonymise(SurveyResponse.objects.filter(application__in=[app.pk for app in applications]))


def export_for_person(sender, person: Person, **kwargs) -> dict:
    """Receiver of mentoring's `personal_data_exported`: the person's answers."""
    return {
        "survey_responses": [
            {
                "survey": response.survey.title,
                "submitted": response.submitted_at.isoformat(),
                "changed": response.updated_at.isoformat(),
                "answers": response.answers,
            }
            for response in SurveyResponse.objects.filter(
                application__person=person
            ).select_related("survey")
        ]
    }


def open_surveys_for(application: Application) -> list[tuple[Survey, SurveyResponse | None]]:
    """The surveys of the person's round they can answer now, with their response if any."""
    if application.erased_at or application.status not in Application.PARTICIPANT_STATUSES:
        return []
    surveys = [
        survey
        for survey in Survey.objects.filter(
            kind=Survey.Kind.ROUND, round_id=application.round_id, is_template=False
        ).select_related("round")
        if survey.is_open()
    ]
    responses = {
        response.survey_id: response
        for response in SurveyResponse.objects.filter(application=application, survey__in=surveys)
    }
    return [(survey, responses.get(survey.pk)) for survey in surveys]
