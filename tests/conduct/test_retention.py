"""After the retention period, beat's task anonymises a decided complaint: names, addresses,
free text and evidence files go; the kind of decision and the dates stay. Open complaints
and recent decisions are left alone; running it again changes nothing."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import ModelLogEntry

from conduct.models import Complaint
from conduct.services import complaints
from conduct.tasks import anonymise_expired_complaints
from mentoring.models import BarredEmail
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db


def make(pair, decided_days_ago: int | None) -> Complaint:
    complaint = Complaint.objects.create(
        reporter_application=pair.ana,
        reporter_name="Ana Lima",
        reporter_email="ana.lima@example.org",
        subject_application=pair.kofi,
        subject_name="Kofi Mensah",
        subject_email="kofi.mensah@example.org",
        round=pair.round,
        partnership=pair.partnership,
        what_happened="Insults.",
        reasons="Confirmed.",
        actions="Called both.",
        status="decided" if decided_days_ago is not None else "investigating",
        decision="warning" if decided_days_ago is not None else "",
        decided_at=(
            timezone.now() - timedelta(days=decided_days_ago)
            if decided_days_ago is not None
            else None
        ),
    )
    complaints.add_evidence(complaint, SimpleUploadedFile("chat.txt", b"you are...", "text/plain"))
    OutboundEmail.objects.create(
        key=complaints.email_key(complaint, "acknowledgement"),
        to="ana.lima@example.org",
        template="conduct_report_received",
        context={"name": "Ana Lima"},
        subject="Your report about Kofi Mensah",
        last_error="550 ana.lima@example.org: mailbox full",
    )
    complaints.audit(complaint, "conduct.removal.application_closed", None, application=9)
    complaints.audit(
        complaint,
        "conduct.changed",
        None,
        fields=["decision", "subject_name"],
        values={"decision": ["", "warning"], "decided_by": [None, 4]},
    )
    return complaint


def test_expired_complaints_are_anonymised_and_the_rest_kept(pair, settings):
    settings.CONDUCT_RETENTION_DAYS = 365
    old = make(pair, decided_days_ago=400)
    recent = make(pair, decided_days_ago=30)
    still_open = make(pair, decided_days_ago=None)
    forgotten = make(pair, decided_days_ago=None)  # never decided, came in long ago
    Complaint.objects.filter(pk=forgotten.pk).update(
        received_at=timezone.now() - timedelta(days=400)
    )
    barred = BarredEmail.objects.create(email_normalised="kofi.mensah@example.org")
    Complaint.objects.filter(pk=old.pk).update(barred_email=barred)
    file = Path(old.evidence.get().file.path)
    decided_at, received_at = old.decided_at, old.received_at

    assert sorted(anonymise_expired_complaints.delay().get()) == sorted([old.pk, forgotten.pk])
    forgotten.refresh_from_db()
    assert forgotten.anonymised_at and forgotten.subject_name == ""

    old.refresh_from_db()
    assert old.anonymised_at
    for field in (
        "reporter_name",
        "reporter_email",
        "subject_name",
        "subject_email",
        "what_happened",
        "reasons",
        "actions",
    ):
        assert getattr(old, field) == "", field
    assert old.reporter_application is None and old.subject_application is None
    assert old.partnership is None
    assert (old.decision, old.status, old.decided_at, old.received_at) == (
        "warning",
        "decided",
        decided_at,
        received_at,
    )
    assert not file.exists()
    evidence = old.evidence.get()
    assert not evidence.file and evidence.name == "" and evidence.removed_at
    email = OutboundEmail.objects.get(key=complaints.email_key(old, "acknowledgement"))
    assert email.to == complaints.ANONYMISED_EMAIL and email.context == {}
    assert email.subject == "" and email.last_error == ""
    assert old.barred_email is None
    assert BarredEmail.objects.filter(pk=barred.pk).exists()  # still barred
    history = [entry.data for entry in ModelLogEntry.objects.for_instance(old)]
    assert {"fields": ["decision", "subject_name"], "values": {"decision": ["", "warning"]}} in (
        history
    )
    assert "application" not in str(history) and "decided_by" not in str(history)
    assert ModelLogEntry.objects.for_instance(old).filter(action="conduct.anonymised").exists()
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.subject_name == "Kofi Mensah" and kept.anonymised_at is None
        assert Path(kept.evidence.get().file.path).exists()

    assert anonymise_expired_complaints.delay().get() == []


def test_an_anonymised_complaint_cannot_be_edited(client, pair, director, settings):
    from django.urls import reverse

    from tests.conduct.admin_forms import post_edit

    old = make(pair, decided_days_ago=5000)
    complaints.anonymise(old)
    client.force_login(director)
    url = reverse("wagtailsnippets_conduct_complaint:edit", args=[old.pk])
    response = post_edit(client, url, what_happened="Back again")
    assert response.status_code == 200
    assert "anonymised and can no longer change" in response.content.decode()
    old.refresh_from_db()
    assert old.what_happened == ""
