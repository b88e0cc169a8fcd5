"""A participant reports a code-of-conduct problem from their personal page, over HTTP: the
complaint is stored (evidence in the private store, never under MEDIA_ROOT), the reporter is
acknowledged and each director told, once; a bad form keeps what was typed."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from wagtail.models import ModelLogEntry

from conduct.models import Complaint
from conduct.services import complaints
from tests.conduct.conftest import page_token
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db


def report_url(application) -> str:
    return reverse("conduct:report", kwargs={"token": page_token(application)})


def test_the_personal_page_links_to_the_report_form_beside_the_unresponsive_report(client, pair):
    page = client.get(
        reverse("mentoring:personal_page", kwargs={"token": page_token(pair.ana)})
    ).content.decode()
    assert "My partner does not answer" in page
    link = re.search(r'href="(/me/[^"]+/conduct/)"', page).group(1)
    form = client.get(link).content.decode()
    assert "My partner, Kofi Mensah" in form
    assert "Someone else in the program" in form


def test_a_report_is_stored_acknowledged_and_directors_told_once_each(
    client, pair, director, second_director
):
    response = client.post(
        report_url(pair.ana),
        {
            "about": str(pair.kofi.pk),
            "what_happened": "He sent me insulting messages after our second call.",
            "happened_on": "2026-11-02",
            "evidence": SimpleUploadedFile("messages.png", b"\x89PNG\r\n\x1a\n fake", "image/png"),
        },
    )
    assert response.status_code == 302
    assert resolve(response["Location"]).url_name == "personal_page"
    complaint = Complaint.objects.get()
    assert complaint.reporter_application == pair.ana
    assert complaint.subject_application == pair.kofi
    assert complaint.subject_email == pair.kofi.email
    assert complaint.round == pair.round and complaint.partnership == pair.partnership
    assert complaint.status == Complaint.Status.RECEIVED
    evidence = complaint.evidence.get()
    stored = Path(evidence.file.path)
    assert stored.read_bytes() == b"\x89PNG\r\n\x1a\n fake"
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018 — a private file has no public address

    messages = OutboundEmail.objects.filter(key__startswith=complaints.email_key(complaint, ""))
    assert sorted((m.template, m.to) for m in messages) == [
        ("conduct_complaint_received", "dmitri@example.org"),
        ("conduct_complaint_received", "dora@example.org"),
        ("conduct_report_received", "ana.lima@example.org"),
    ]
    assert "insulting" not in str([m.context for m in messages])
    assert complaints.notify_directors(complaint) == 0  # once each, however often
    actions = set(ModelLogEntry.objects.for_instance(complaint).values_list("action", flat=True))
    assert {"conduct.reported", "conduct.evidence_added"} <= actions


def test_a_bad_report_keeps_what_was_typed_and_says_what_is_wrong(client, pair):
    response = client.post(
        report_url(pair.ana),
        {"about": "other", "about_other": "", "what_happened": "Rude in the group chat"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tell us who it is about." in body
    assert "Rude in the group chat" in body
    response = client.post(
        report_url(pair.ana),
        {
            "about": "other",
            "about_other": "Someone in the forum",
            "what_happened": "Rude",
            "evidence": SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream"),
        },
    )
    assert response.status_code == 400
    assert "Send a file of one of these kinds" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_honeypot_stores_nothing(client, pair, director):
    response = client.post(
        report_url(pair.ana),
        {"about": "other", "about_other": "x", "what_happened": "spam", "website": "bot"},
    )
    assert response.status_code == 302
    assert not Complaint.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_someone_not_in_the_program_cannot_report(client, pair):
    pair.ana.status = "unverified"
    pair.ana.save()
    response = client.post(
        report_url(pair.ana), {"about": "other", "about_other": "x", "what_happened": "y"}
    )
    assert response.status_code == 302
    assert not Complaint.objects.exists()


def test_a_file_that_is_not_what_its_name_says_is_refused(client, pair):
    response = client.post(
        report_url(pair.ana),
        {
            "about": "other",
            "about_other": "Someone in the forum",
            "what_happened": "Rude in the forum",
            "evidence": SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a png", "image/png"),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "This file is not a PNG file as its name says" in body
    assert "Rude in the forum" in body
    assert not Complaint.objects.exists()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    response = client.post(
        report_url(pair.ana),
        {
            "about": "other",
            "about_other": "Someone in the forum",
            "what_happened": "Rude in the forum",
            "evidence": SimpleUploadedFile("photo.png", png, "image/png"),
        },
    )
    assert response.status_code == 302
    assert Complaint.objects.get().evidence.count() == 1


def test_a_participant_sends_at_most_three_reports_a_day(client, pair):
    for number in range(3):
        response = client.post(
            report_url(pair.ana),
            {"about": "other", "about_other": "X", "what_happened": f"Report {number}"},
        )
        assert response.status_code == 302
    response = client.post(
        report_url(pair.ana),
        {"about": "other", "about_other": "X", "what_happened": "A fourth one"},
    )
    assert response.status_code == 429
    body = response.content.decode()
    assert "the most we accept in a day" in body
    assert "A fourth one" in body  # what was typed is kept
    assert Complaint.objects.count() == 3
    # Another participant is not held back.
    assert (
        client.post(
            report_url(pair.kofi),
            {"about": "other", "about_other": "Y", "what_happened": "Mine"},
        ).status_code
        == 302
    )


def test_an_oversized_report_is_refused_before_it_is_read(client, pair, settings):
    settings.CONDUCT_EVIDENCE_MAX_BYTES = 1024
    response = client.post(
        report_url(pair.ana),
        {
            "about": "other",
            "about_other": "X",
            "what_happened": "Big",
            "evidence": SimpleUploadedFile("big.txt", b"a" * 400_000, "text/plain"),
        },
    )
    assert response.status_code == 413
    assert "too large to accept" in response.content.decode()
    assert not Complaint.objects.exists()
