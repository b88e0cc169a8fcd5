"""The volunteers' periodic work, each task calling one service."""

from celery import shared_task

from volunteers.services import noticeboard, records, terms


@shared_task
def send_term_reminders() -> int:
    """The recommit-or-resign emails due today, and the end of lapsed terms."""
    sent = terms.send_reminders()
    records.end_lapsed_terms()
    return sent


@shared_task
def send_noticeboard_digests() -> int:
    return noticeboard.send_digests()
