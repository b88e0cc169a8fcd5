"""Applying to a round: submission with duplicate and barred-list checks, email
verification, corrections while applications are open, confirmation before matching,
withdrawal and reports of silent partners; a director's decisions on applications (confirm,
exclude from matching, waitlist, message)."""

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from mentoring import links
from mentoring.models import (
    Application,
    BarredEmail,
    Partnership,
    Person,
    Round,
    RoundStatus,
    UnresponsiveReport,
)
from mentoring.normalise import normalise_email, normalise_name
from volunteers.roles import CODE_OF_CONDUCT
from volunteers.services import agreements
from website.models import OutboundEmail
from website.outbox import queue_email
from website.templatetags.time_tags import in_zone

FORM_FIELDS = (
    "name",
    "email",
    "country",
    "city",
    "time_zone",
    "sector",
    "role",
    "career_stage",
    "years_experience",
    "languages",
    "wants_sector",
    "wanted_sectors",
    "wants_career_stage",
    "preferred_regions",
    "availability",
    "special_requests",
    "pathway",
)
CORRECTABLE_FIELDS = tuple(field for field in FORM_FIELDS if field != "email")
"""What an applicant may correct from their page: everything but the verified address."""


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    ALREADY_VERIFIED = "already_verified"
    BARRED = "barred"
    CLOSED = "closed"


@dataclass(frozen=True)
class Submission:
    outcome: Outcome
    application: Application | None = None
    link_sent: bool = False
    """Re-applying: whether the personal link went out now (not already within the hour)."""


def is_barred(email: str) -> bool:
    return BarredEmail.objects.filter(email_normalised=normalise_email(email)).exists()


def with_code_version(consent_version: str, code_version: int) -> str:
    """The texts' versions as stored on an application, the code of conduct's ("coc:v3")
    taken from its published versions, the other texts' (page revisions) as given."""
    others = [part for part in consent_version.split(";") if part and not part.startswith("coc:")]
    return ";".join([f"coc:v{code_version}", *others])


def submit_application(round: Round, data: dict[str, Any], consent_version: str) -> Submission:
    """Record an application, or merge it into this person's earlier one in the round.

    A second submission with the same (normalised) address updates the first while it is
    unverified, and otherwise only resends the personal link: one person, one application.
    Barred people get the same neutral outcome whatever their address's history.
    """
    if round.status != RoundStatus.APPLICATIONS_OPEN:
        return Submission(Outcome.CLOSED)
    if is_barred(data["email"]):
        return Submission(Outcome.BARRED)
    email_normalised = normalise_email(data["email"])
    now = timezone.now()
    interests = data.pop("interests", [])
    with transaction.atomic():
        person, _ = Person.objects.get_or_create(email_normalised=email_normalised)
        existing = (
            Application.objects.select_for_update()
            .filter(round=round, email_normalised=email_normalised)
            .first()
        )
        if existing and existing.status != Application.Status.UNVERIFIED:
            sent = send_personal_link(existing)
            return Submission(Outcome.ALREADY_VERIFIED, existing, link_sent=sent)
        application = existing or Application(round=round, person=person)
        for field in FORM_FIELDS:
            setattr(application, field, data.get(field, getattr(application, field)))
        application.agreed_code_of_conduct_at = now
        application.agreed_requirements_at = now
        # The code of conduct's version is the one versions of it have (DocumentVersion):
        # the same number the Acceptance row below stores.
        code_version = agreements.current_version(CODE_OF_CONDUCT)
        application.consent_version = with_code_version(consent_version, code_version)
        application.suspected_duplicate_of = find_same_person(application)
        # A ParentalManyToManyField is held in memory until the cluster is saved: set it first.
        application.interests.set(interests)
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            return submit_application(round, {**data, "interests": interests}, consent_version)
        agreements.record_application(application, version=code_version)
        queue_email(
            f"verify:{application.pk}:{application.updated_at.timestamp():.0f}",
            application.email,
            "application_verify",
            {
                "name": application.name,
                "round": round.name,
                "verify_url": links.verification_url(application),
            },
        )
    return Submission(Outcome.UPDATED if existing else Outcome.CREATED, application)


def find_same_person(application: Application) -> Application | None:
    """An earlier application in the round, under another address, with the same name and
    country: probably the same person applying twice. Directors decide; the matching never
    pairs the two."""
    wanted = normalise_name(application.name)
    candidates = (
        Application.objects.filter(round=application.round, country=application.country)
        .exclude(pk=application.pk)
        .exclude(status__in=[Application.Status.DUPLICATE, Application.Status.WITHDRAWN])
        .only("pk", "name")
        .order_by("created_at")
    )
    return next((c for c in candidates if normalise_name(c.name) == wanted), None)


def verify_email(application: Application) -> bool:
    """Mark the address verified; True the first time, False if it already was."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Application.Status.UNVERIFIED:
            return False
        application.status = Application.Status.VERIFIED
        application.verified_at = timezone.now()
        application.save(update_fields=["status", "verified_at", "updated_at"])
        queue_email(
            f"received:{application.pk}",
            application.email,
            "application_received",
            {
                "name": application.name,
                "round": application.round.name,
                "page_url": links.personal_page_url(application),
                **_dates_in_zone(application),
            },
        )
    return True


class ApplicationError(Exception):
    """A change a person asked for that cannot be made; the message says why, translated."""

    message = _("This change cannot be made.")

    def __str__(self) -> str:
        return str(self.message)


class ConfirmationError(ApplicationError):
    message = _(
        "This application cannot be confirmed now: the deadline has passed or it is not "
        "waiting for confirmation."
    )


class CorrectionClosed(ApplicationError):
    message = _(
        "Applications for this round are closed, so the application can no longer be "
        "changed. Write to us if something important is wrong."
    )


CORRECTABLE = {
    Application.Status.UNVERIFIED,
    Application.Status.VERIFIED,
    Application.Status.CONFIRMED,
}


def can_correct(application: Application) -> bool:
    """Applicants may correct their application until applications close."""
    return (
        application.status in CORRECTABLE
        and application.erased_at is None
        and application.round.status == RoundStatus.APPLICATIONS_OPEN
    )


def correct_application(application: Application, data: dict[str, Any]) -> Application:
    """Replace what the applicant typed with their corrected answers (the address stays)."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().select_related("round").get(pk=application.pk)
        )
        if not can_correct(application):
            raise CorrectionClosed
        for field in CORRECTABLE_FIELDS:
            if field in data:
                setattr(application, field, data[field])
        application.interests.set(data.get("interests", []))
        application.suspected_duplicate_of = find_same_person(application)
        application.save()
    return application


def confirm_participation(application: Application) -> bool:
    """Confirm that the applicant will take part; only confirmed applicants are matched."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().select_related("round").get(pk=application.pk)
        )
        if application.status == Application.Status.CONFIRMED:
            return False
        if application.status != Application.Status.VERIFIED:
            raise ConfirmationError
        if timezone.now() >= application.round.confirmation_deadline:
            raise ConfirmationError
        application.status = Application.Status.CONFIRMED
        application.confirmed_at = timezone.now()
        application.save(update_fields=["status", "confirmed_at", "updated_at"])
    return True


WITHDRAWABLE = {
    Application.Status.UNVERIFIED,
    Application.Status.VERIFIED,
    Application.Status.CONFIRMED,
    Application.Status.WAITLISTED,
    Application.Status.MATCHED,
    Application.Status.UNMATCHED,
}


def withdraw(application: Application) -> bool:
    """Leave the round. A partnership the person was in is flagged for re-matching."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status not in WITHDRAWABLE:
            return False
        application.status = Application.Status.WITHDRAWN
        application.withdrawn_at = timezone.now()
        application.save(update_fields=["status", "withdrawn_at", "updated_at"])
        if application.partnership_id:
            Partnership.objects.filter(
                pk=application.partnership_id, flagged_at__isnull=True
            ).update(flagged_at=timezone.now())
    return True


def report_unresponsive_partner(application: Application, note: str) -> bool:
    """Store a report that the partner does not answer; True if it is new."""
    if not application.partnership_id or application.status != Application.Status.MATCHED:
        return False
    with transaction.atomic():
        _report, created = UnresponsiveReport.objects.get_or_create(
            reporter=application,
            partnership_id=application.partnership_id,
            defaults={"note": note},
        )
        if created:
            Partnership.objects.filter(
                pk=application.partnership_id, flagged_at__isnull=True
            ).update(flagged_at=timezone.now())
    return created


def _dates_in_zone(application: Application) -> dict[str, str]:
    """The round's deadlines for an email, in the applicant's zone (emails are in English)."""
    with translation.override("en"):
        return {
            "closes": in_zone(application.round.application_closes_at, application.time_zone),
            "deadline": in_zone(application.round.confirmation_deadline, application.time_zone),
        }


def send_personal_link(application: Application) -> bool:
    """Email the person their page's link again, at most once an hour; True if it went out
    now, False if it was already sent within the hour."""
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"personal-link:{application.pk}:{hour}"
    if OutboundEmail.objects.filter(key=key).exists():
        return False
    queue_email(
        key,
        application.email,
        "personal_link",
        {
            "name": application.name,
            "round": application.round.name,
            "page_url": links.personal_page_url(application),
        },
    )
    return True


# A director's decisions, one application at a time; each returns True if it changed something.

DIRECTOR_CONFIRMABLE = {
    Application.Status.VERIFIED,
    Application.Status.WAITLISTED,
    Application.Status.UNMATCHED,
}
EXCLUDABLE = {
    Application.Status.VERIFIED,
    Application.Status.CONFIRMED,
    Application.Status.WAITLISTED,
}
WAITLISTABLE = {
    Application.Status.VERIFIED,
    Application.Status.CONFIRMED,
    Application.Status.UNMATCHED,
}


def _set_status(application: Application, allowed: set, status: str, **dates) -> bool:
    changed = Application.objects.filter(pk=application.pk, status__in=allowed).update(
        status=status, updated_at=timezone.now(), **dates
    )
    return bool(changed)


def confirm_for_applicant(application: Application) -> bool:
    """A director confirms a place on the applicant's behalf (they said so another way)."""
    return _set_status(
        application,
        DIRECTOR_CONFIRMABLE,
        Application.Status.CONFIRMED,
        confirmed_at=timezone.now(),
    )


def exclude_from_matching(application: Application) -> bool:
    """Leave the application out of this round's matching without barring the person."""
    return _set_status(application, EXCLUDABLE, Application.Status.UNMATCHED)


def waitlist(application: Application) -> bool:
    """Move the application to the waitlist: it rolls into the next round when that opens."""
    return _set_status(
        application, WAITLISTABLE, Application.Status.WAITLISTED, waitlisted_at=timezone.now()
    )


def send_message(application: Application, subject: str, body: str) -> bool:
    """Queue one email from a director to the applicant. The same text goes to the same
    person once, however often it is sent."""
    digest = hashlib.sha256(f"{subject}\n{body}".encode()).hexdigest()[:16]
    key = f"director-message:{digest}:{application.pk}"
    if OutboundEmail.objects.filter(key=key).exists():
        return False
    queue_email(
        key,
        application.email,
        "director_message",
        {
            "name": application.name,
            "round": application.round.name,
            "subject": subject,
            "body": body,
            "page_url": links.personal_page_url(application),
        },
    )
    return True
