"""Participants and their data: who is active in a round, and the data rights every person
has (a download of everything held about them, and erasure that keeps only counts)."""

import uuid
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import Signal
from django.utils import timezone

from mentoring.models import (
    Application,
    InterestedPerson,
    Person,
    Round,
    UnresponsiveReport,
)
from website.models import OutboundEmail

ERASED_NAME = "Erased participant"

# Sent inside erasure's transaction, before the person's applications change: apps that hold
# more about the person (surveys: their answers) remove or anonymise it. `person` is the
# Person, `applications` their applications (still with their data).
personal_data_erased = Signal()
# Sent when a person downloads their data: each receiver returns a dict of what its app holds
# about `person` (surveys: their answers), merged into the download.
personal_data_exported = Signal()


def active_participants(round: Round) -> QuerySet[Application]:
    """People partnered in the round who have not left it."""
    return Application.objects.filter(
        round=round,
        status__in=Application.PARTICIPANT_STATUSES,
        partnership__isnull=False,
        partnership__ended_at__isnull=True,
        erased_at__isnull=True,
    )


def _application_data(application: Application) -> dict[str, Any]:
    partners = [
        {"name": partner.name, "country": partner.country.code, "email": partner.email}
        for partner in application.partners()
    ]
    return {
        "round": application.round.name,
        "status": application.status,
        "received": application.created_at.isoformat(),
        "name": application.name,
        "email": application.email,
        "country": application.country.code,
        "city": application.city,
        "time_zone": str(application.time_zone),
        "sector": application.sector,
        "role": application.role,
        "career_stage": application.career_stage,
        "years_experience": application.years_experience,
        "languages": application.languages,
        "interests": [interest.name for interest in application.interests.all()],
        "partner_wishes": {
            "sector": application.wants_sector,
            "sectors": application.wanted_sectors,
            "career_stage": application.wants_career_stage,
            "regions": application.preferred_regions,
        },
        "availability": application.availability,
        "special_requests": application.special_requests,
        "pathway": str(application.pathway) if application.pathway else None,
        "consent": {
            "code_of_conduct": application.agreed_code_of_conduct_at.isoformat(),
            "participation_requirements": application.agreed_requirements_at.isoformat(),
            "version": application.consent_version,
        },
        "verified": application.verified_at.isoformat() if application.verified_at else None,
        "confirmed": application.confirmed_at.isoformat() if application.confirmed_at else None,
        "partners": partners,
        "reports_made": [
            {"date": report.created_at.isoformat(), "note": report.note}
            for report in application.reports_made.all()
        ],
    }


def export_personal_data(application: Application) -> dict[str, Any]:
    """Everything held about the person the application belongs to, in every round."""
    person = application.person
    applications = person.applications.select_related("round", "pathway__organisation")
    interest = InterestedPerson.objects.filter(email_normalised=person.email_normalised).first()
    emails = OutboundEmail.objects.filter(to__in={app.email for app in applications}).order_by(
        "created_at"
    )
    held_elsewhere: dict[str, Any] = {}
    for _receiver, data in personal_data_exported.send(sender=Person, person=person):
        held_elsewhere.update(data or {})
    return {
        "exported": timezone.now().isoformat(),
        "applications": [_application_data(app) for app in applications],
        "interest_list": {
            "name": interest.name,
            "email": interest.email,
            "country": interest.country.code,
            "joined": interest.created_at.isoformat(),
            "confirmed": interest.confirmed_at.isoformat() if interest.confirmed_at else None,
            "unsubscribed": (
                interest.unsubscribed_at.isoformat() if interest.unsubscribed_at else None
            ),
        }
        if interest
        else None,
        "emails_sent": [
            {
                "sent": (message.sent_at or message.created_at).isoformat(),
                "message": message.template,
                "status": message.status,
            }
            for message in emails
        ],
        **held_elsewhere,
    }


def erase_personal_data(application: Application) -> None:
    """Remove or anonymise every personal field of the person, in every round. What stays
    (round, status, country, sector, career stage, dates) feeds only aggregate figures; the
    access keys change, so every link sent before stops working."""
    person = application.person
    now = timezone.now()
    with transaction.atomic():
        applications = list(person.applications.select_for_update())
        addresses = {app.email for app in applications}
        personal_data_erased.send(sender=Person, person=person, applications=applications)
        for app in applications:
            marker = f"erased-{app.pk}@invalid.example"
            app.name = ERASED_NAME
            app.email = marker
            app.email_normalised = marker
            app.city = ""
            app.role = ""
            app.languages = []
            app.wanted_sectors = []
            app.preferred_regions = []
            app.availability = []
            app.special_requests = ""
            app.access_key = uuid.uuid4()
            app.erased_at = now
            app.interests.clear()
            app.save()
        UnresponsiveReport.objects.filter(reporter__person=person).update(note="")
        InterestedPerson.objects.filter(email_normalised=person.email_normalised).delete()
        OutboundEmail.objects.filter(to__in=addresses, status=OutboundEmail.Status.QUEUED).update(
            status=OutboundEmail.Status.CANCELLED
        )
        OutboundEmail.objects.filter(to__in=addresses).update(
            to="erased@invalid.example", context={}
        )
        person.email_normalised = f"erased-person-{person.pk}"
        person.save(update_fields=["email_normalised"])
