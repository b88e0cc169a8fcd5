"""Beat's daily anonymisation of complaints past their retention period."""

from celery import shared_task

from conduct.services import complaints


@shared_task
def anonymise_expired_complaints() -> list[int]:
    return complaints.anonymise_expired()
