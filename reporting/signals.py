"""A round whose dates change may have finished at another time, or not yet, and a survey
answer may come in after it finished: its stored figures (`RoundFigures`) are dropped, to be
counted again the next time they are needed."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from mentoring.models import Round
from surveys.models import SurveyResponse

DATE_FIELDS = (
    "application_opens_at",
    "application_closes_at",
    "confirmation_deadline",
    "matching_date",
    "starts_on",
    "ends_on",
)


@receiver(pre_save, sender=Round, dispatch_uid="reporting.round_dates_before")
def note_old_dates(sender, instance: Round, raw: bool = False, **kwargs) -> None:
    instance._reporting_old_dates = (
        None
        if raw or instance.pk is None
        else Round.objects.filter(pk=instance.pk).values_list(*DATE_FIELDS).first()
    )


@receiver(post_save, sender=Round, dispatch_uid="reporting.round_dates_after")
def forget_figures_when_dates_change(
    sender, instance: Round, created: bool = False, raw: bool = False, **kwargs
) -> None:
    old = getattr(instance, "_reporting_old_dates", None)
    if raw or created or old is None:
        return
    if old != tuple(getattr(instance, name) for name in DATE_FIELDS):
        from reporting.services import figures

        figures.forget(instance.pk)


@receiver(post_save, sender=SurveyResponse, dispatch_uid="reporting.survey_answer_saved")
@receiver(post_delete, sender=SurveyResponse, dispatch_uid="reporting.survey_answer_deleted")
def forget_figures_when_answers_change(
    sender, instance: SurveyResponse, raw: bool = False, **kwargs
) -> None:
    """An answer to an end-of-round survey comes in after the round finished: its stored
    satisfaction is counted again the next time it is needed."""
    if raw or not instance.round_id:
        return
    from reporting.services import figures

    figures.forget(instance.round_id)
