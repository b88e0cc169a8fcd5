"""The ambassadors' periodic and triggered work, each task calling one service."""

from celery import shared_task

from ambassadors.services import marketing, profiles, terms, translations


@shared_task
def send_marketing_kits() -> int:
    return marketing.send_marketing_kits()


@shared_task
def send_term_reminders() -> int:
    """The recommit-or-resign emails due today, and the end of lapsed terms."""
    sent = terms.send_reminders()
    profiles.end_lapsed_terms()
    return sent


@shared_task
def flag_outdated_translations(page_id: int) -> int:
    from ambassadors.models import PromoPage

    page = PromoPage.objects.filter(pk=page_id).first()
    return translations.flag_outdated(page) if page else 0
