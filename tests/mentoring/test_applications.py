"""Submitting, merging duplicates, the barred list, verification, confirmation,
withdrawal and reports of silent partners."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring.models import Application, BarredEmail, Interest, Partnership, UnresponsiveReport
from mentoring.normalise import normalise_email, normalise_name
from mentoring.services import applications
from mentoring.services.applications import Outcome
from website.factories.mentoring import ApplicationFactory, RoundFactory
from website.models import OutboundEmail


def form_data(**overrides):
    data = {
        "name": "Ana Lima",
        "email": "Ana.Lima+iln@Example.org",
        "country": "BR",
        "city": "Recife",
        "time_zone": "America/Recife",
        "sector": "public",
        "role": "Branch librarian",
        "career_stage": "mid",
        "years_experience": 7,
        "languages": ["pt", "es"],
        "wants_sector": "different",
        "wanted_sectors": ["academic"],
        "wants_career_stage": "any",
        "preferred_regions": ["europe"],
        "availability": ["mon-eve"],
        "special_requests": "",
        "pathway": None,
        "interests": list(Interest.objects.filter(code__in=["advocacy", "community"])),
    }
    data.update(overrides)
    return data


@pytest.fixture
def open_round(db):
    return RoundFactory(opened_days_ago=2)


def test_email_normal_form():
    assert normalise_email(" Ana.Lima+iln@Example.ORG ") == "ana.lima@example.org"
    assert normalise_email("a.n.a+x@googlemail.com") == "ana@gmail.com"
    assert normalise_name("  José   MARÍA-López ") == "jose maria lopez"


@pytest.mark.django_db
def test_submission_records_consent_and_asks_to_verify(open_round):
    result = applications.submit_application(open_round, form_data(), "coc:7.3;req:8.1")
    assert result.outcome == Outcome.CREATED
    application = result.application
    assert application.status == Application.Status.UNVERIFIED
    assert application.email_normalised == "ana.lima@example.org"
    assert application.consent_version == "coc:v1;req:8.1"  # the code's published version
    assert application.agreed_code_of_conduct_at is not None
    stored = Application.objects.get(pk=application.pk)
    assert {i.code for i in stored.interests.all()} == {"advocacy", "community"}
    message = OutboundEmail.objects.get(to="Ana.Lima+iln@Example.org")
    assert message.template == "application_verify"
    assert "/apply/verify/" in message.context["verify_url"]


@pytest.mark.django_db
def test_same_address_again_merges_into_one_application(open_round):
    first = applications.submit_application(open_round, form_data(), "v1").application
    again = applications.submit_application(
        open_round, form_data(email="ana.lima@example.org", city="Olinda"), "v1"
    )
    assert again.outcome == Outcome.UPDATED
    assert Application.objects.filter(round=open_round).count() == 1
    first.refresh_from_db()
    assert first.city == "Olinda"


@pytest.mark.django_db
def test_verified_applicant_applying_again_gets_their_link_not_a_second_application(open_round):
    first = applications.submit_application(open_round, form_data(), "v1").application
    applications.verify_email(first)
    again = applications.submit_application(open_round, form_data(city="Elsewhere"), "v1")
    assert again.outcome == Outcome.ALREADY_VERIFIED
    assert Application.objects.filter(round=open_round).count() == 1
    first.refresh_from_db()
    assert first.city == "Recife"
    assert OutboundEmail.objects.filter(template="personal_link").count() == 1


@pytest.mark.django_db
def test_same_person_under_another_address_is_flagged(open_round):
    first = applications.submit_application(open_round, form_data(), "v1").application
    second = applications.submit_application(
        open_round, form_data(name="ana  LIMA", email="ana@work.example.org"), "v1"
    ).application
    assert second.suspected_duplicate_of == first
    other_country = applications.submit_application(
        open_round, form_data(email="ana@third.example.org", country="PT"), "v1"
    ).application
    assert other_country.suspected_duplicate_of is None


@pytest.mark.django_db
def test_barred_people_cannot_apply(open_round):
    BarredEmail.objects.create(email_normalised="ANA.LIMA@example.org")
    result = applications.submit_application(open_round, form_data(), "v1")
    assert result.outcome == Outcome.BARRED
    assert not Application.objects.exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db
def test_no_application_outside_the_window():
    closed = RoundFactory(opened_days_ago=40)
    assert applications.submit_application(closed, form_data(), "v1").outcome == Outcome.CLOSED


@pytest.mark.django_db
def test_verify_then_confirm_then_deadline(open_round):
    application = applications.submit_application(open_round, form_data(), "v1").application
    assert applications.verify_email(application) is True
    assert applications.verify_email(application) is False
    assert applications.confirm_participation(application) is True
    assert applications.confirm_participation(application) is False
    application.refresh_from_db()
    assert application.status == Application.Status.CONFIRMED
    assert Application.objects.in_pool().get() == application

    late = ApplicationFactory(round=RoundFactory(opened_days_ago=35))
    with pytest.raises(applications.ConfirmationError):
        applications.confirm_participation(late)


@pytest.mark.django_db
def test_withdrawal_and_reports_flag_the_partnership():
    round = RoundFactory(opened_days_ago=60)
    partnership = Partnership.objects.create(round=round, published_at=timezone.now())
    a = ApplicationFactory(round=round, status=Application.Status.MATCHED, partnership=partnership)
    b = ApplicationFactory(
        round=round, status=Application.Status.MATCHED, country="KE", partnership=partnership
    )
    assert applications.report_unresponsive_partner(a, "No reply for three weeks") is True
    assert applications.report_unresponsive_partner(a, "again") is False
    assert UnresponsiveReport.objects.count() == 1
    partnership.refresh_from_db()
    flagged = partnership.flagged_at
    assert flagged is not None

    assert applications.withdraw(b) is True
    assert applications.withdraw(b) is False
    b.refresh_from_db()
    assert b.status == Application.Status.WITHDRAWN
    partnership.refresh_from_db()
    assert partnership.flagged_at == flagged


@pytest.mark.django_db
def test_unmatched_people_cannot_report(open_round):
    application = ApplicationFactory(round=open_round)
    assert applications.report_unresponsive_partner(application, "") is False


@pytest.mark.django_db
def test_a_verification_link_is_sent_once_per_submission(
    open_round, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        applications.submit_application(open_round, form_data(), "v1")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Verify your email")
    assert "/apply/verify/" in mail.outbox[0].body
    assert timezone.now() - timedelta(minutes=1) < OutboundEmail.objects.get().sent_at
