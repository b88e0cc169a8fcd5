"""What the other roles must not learn about complaints from elsewhere in the admin: the
emails about a complaint are not in a data officer's outbox (listing, purpose filter,
inspect, settling), the barred list gives a neutral reason, and the complaints listing and
export take the same number of queries however many complaints there are."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conduct.models import Complaint
from conduct.services import removal
from conduct.services.complaints import email_key
from mentoring.models import BarredEmail
from website.factories.mentoring import ApplicationFactory
from website.factories.website import UserFactory
from website.outbox import queue_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(db):
    complaint = Complaint.objects.create(subject_name="Quillon", what_happened="Shouted.")
    conduct = queue_email(
        email_key(complaint, "acknowledgement"),
        "reporter@example.org",
        "conduct_report_received",
        {"name": "Reporter", "number": complaint.pk, "page_url": "https://example.org/p/"},
    )
    other = queue_email("other:1", "someone@example.org", "conduct_free_purpose_test", {})
    return conduct, other


def test_a_data_officer_sees_no_email_about_a_complaint(client, emails):
    conduct, other = emails
    client.force_login(UserFactory(username="dao", groups=[settings.DATA_OFFICERS_GROUP]))
    listing = client.get(reverse("outbox:index")).content.decode()
    assert "someone@example.org" in listing
    assert "reporter@example.org" not in listing
    assert "Conduct report received" not in listing  # not even as a purpose to filter by
    filtered = client.get(reverse("outbox:index"), {"template": "conduct_report_received"})
    assert "reporter@example.org" not in filtered.content.decode()
    assert client.get(reverse("outbox:inspect", args=[conduct.pk])).status_code == 404
    assert client.get(reverse("outbox:inspect", args=[other.pk])).status_code == 200


def test_a_director_sees_the_emails_about_complaints(client, emails):
    conduct, _other = emails
    client.force_login(UserFactory(username="dora", groups=[settings.DIRECTORS_GROUP]))
    listing = client.get(reverse("outbox:index")).content.decode()
    assert "reporter@example.org" in listing and "Conduct report received" in listing
    assert client.get(reverse("outbox:inspect", args=[conduct.pk])).status_code == 200
    settle = client.get(reverse("outbox:mark_sent", args=[conduct.pk]))
    assert settle.status_code == 200


def test_the_barred_list_gives_no_complaint_away(client, pair, director):
    complaint = Complaint.objects.create(
        subject_application=pair.kofi,
        subject_name=pair.kofi.name,
        what_happened="Insults.",
        status=Complaint.Status.DECIDED,
        decision=Complaint.Decision.REMOVAL,
    )
    removal.carry_out(complaint, by=director)
    barred = BarredEmail.objects.get()
    assert barred.reason == "Barred by a decision of the directors"
    complaint.refresh_from_db()
    assert complaint.barred_email == barred  # the link stays on the complaint
    client.force_login(UserFactory(username="dao", groups=[settings.DATA_OFFICERS_GROUP]))
    listing = client.get(reverse("wagtailsnippets_mentoring_barredemail:list")).content.decode()
    assert "kofi.mensah@example.org" in listing
    assert "complaint" not in listing.lower().replace("complaints", "")
    assert "code of conduct" not in listing.lower()


def make_complaints(count: int, director) -> None:
    for number in range(count):
        Complaint.objects.create(
            subject_application=ApplicationFactory(name=f"Person {number}"),
            subject_user=UserFactory(username=f"volunteer{number}"),
            round=None,
            what_happened="Shouted.",
            status=Complaint.Status.DECIDED,
            decision=Complaint.Decision.WARNING,
            decided_by=director,
        )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


def test_the_complaints_listing_and_export_do_not_grow_with_rows(client, director):
    client.force_login(director)
    listing = reverse("wagtailsnippets_conduct_complaint:list")
    make_complaints(2, director)
    queries(client, listing), queries(client, f"{listing}?export=csv")  # caches warmed
    few = (queries(client, listing), queries(client, f"{listing}?export=csv"))
    make_complaints(6, director)  # new rounds: a new content generation, caches read again
    queries(client, listing), queries(client, f"{listing}?export=csv")
    many = (queries(client, listing), queries(client, f"{listing}?export=csv"))
    assert many == few
