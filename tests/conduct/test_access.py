"""Only directors (and superusers) read complaints, through every door of the admin: the
listing, its search and export, inspect, the snippet chooser, wagtail-localize's snippet API
and the evidence files. Nobody deletes one, superusers included."""

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ReferenceIndex

from conduct.models import Complaint
from conduct.services import complaints
from website.factories.mentoring import ApplicationFactory
from website.factories.website import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Quillon Marchbanks"
OTHER_ROLES = [
    settings.DATA_OFFICERS_GROUP,
    settings.CONTENT_OFFICERS_GROUP,
    settings.GUEST_EDITORS_GROUP,
    settings.AMBASSADORS_GROUP,
    settings.SOCIAL_COORDINATORS_GROUP,
    settings.COMMUNICATIONS_OFFICERS_GROUP,
]


@pytest.fixture
def complaint(db):
    complaint = Complaint.objects.create(
        subject_name=SECRET,
        subject_email="quillon@example.org",
        what_happened="Shouted.",
        reporter_application=ApplicationFactory(name="Pat Example"),
    )
    complaints.add_evidence(
        complaint, SimpleUploadedFile("screenshot.png", b"secret-bytes", "image/png")
    )
    return complaint


def doors(complaint) -> dict[str, str]:
    listing = reverse("wagtailsnippets_conduct_complaint:list")
    return {
        "listing": listing,
        "search": f"{listing}?q=Quillon",
        "export": f"{listing}?export=csv",
        "inspect": reverse("wagtailsnippets_conduct_complaint:inspect", args=[complaint.pk]),
        "edit": reverse("wagtailsnippets_conduct_complaint:edit", args=[complaint.pk]),
        "history": reverse("wagtailsnippets_conduct_complaint:history", args=[complaint.pk]),
        "chooser": reverse("wagtailsnippetchoosers_conduct_complaint:choose"),
        "chooser search": reverse("wagtailsnippetchoosers_conduct_complaint:choose_results")
        + "?q=Quillon",
        "snippet API": reverse(
            "wagtail_localize:snippets_api_listing",
            kwargs={"app_label": "conduct", "model_name": "complaint"},
        ),
        "snippet API detail": reverse(
            "wagtail_localize:snippets_api_detail",
            kwargs={"app_label": "conduct", "model_name": "complaint", "pk": complaint.pk},
        ),
        "evidence": reverse("conduct_evidence", args=[complaint.evidence.get().pk]),
        # The application's "usage" screen (Wagtail's reference index) names no complaint.
        "usage": reverse(
            "wagtailsnippets_mentoring_application:usage",
            args=[complaint.reporter_application_id],
        ),
    }


# Doors that are not the complaint's own: a role that reads applications opens them.
OTHER_RECORDS = {"usage"}


def body(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def test_directors_open_every_door(client, complaint):
    client.force_login(UserFactory(username="dora", groups=[settings.DIRECTORS_GROUP]))
    for door, url in doors(complaint).items():
        response = client.get(url)
        assert response.status_code == 200, door
        if door in {"listing", "search", "export", "inspect"}:
            assert SECRET in body(response), door
        if door in {"chooser", "chooser search", "snippet API"}:
            assert f"Complaint {complaint.pk}" in body(response), door
    evidence = client.get(doors(complaint)["evidence"])
    assert body(evidence) == "secret-bytes"
    assert "no-store" in evidence["Cache-Control"]


@pytest.mark.parametrize("group", OTHER_ROLES)
def test_every_other_role_is_refused_at_every_door(client, complaint, group):
    client.force_login(UserFactory(username="someone", groups=[group]))
    for door, url in doors(complaint).items():
        response = client.get(url)
        if door not in OTHER_RECORDS:
            assert response.status_code in {302, 403}, door
        assert SECRET not in body(response), door
        assert "secret-bytes" not in body(response), door
        assert f"Complaint {complaint.pk}" not in body(response), door
    menu = client.get("/admin/").content.decode()
    assert "/admin/snippets/conduct/complaint/" not in menu


def test_signed_out_visitors_get_no_evidence(client, complaint):
    response = client.get(doors(complaint)["evidence"])
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_nobody_deletes_a_complaint(client, complaint, admin_user):
    for user in [UserFactory(username="dora", groups=[settings.DIRECTORS_GROUP]), admin_user]:
        client.force_login(user)
        url = reverse("wagtailsnippets_conduct_complaint:delete", args=[complaint.pk])
        assert client.get(url).status_code in {302, 403}
        assert client.post(url).status_code in {302, 403}
        inspect = client.get(doors(complaint)["inspect"]).content.decode()
        assert url not in inspect
        assert Complaint.objects.filter(pk=complaint.pk).exists()
    assert not complaint.evidence.get().file.name.startswith("/")


def test_the_evidence_file_is_not_under_the_public_media_folder(complaint, settings):
    from pathlib import Path

    path = Path(complaint.evidence.get().file.path)
    assert path.is_file()
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))


def test_a_data_officer_sees_the_application_usage_without_the_complaint(
    client, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(name="Pat Example")
    # The reference index is updated by a task enqueued on commit: run it.
    with django_capture_on_commit_callbacks(execute=True):
        complaint = Complaint.objects.create(
            subject_name=SECRET, reporter_application=application, what_happened="Shouted."
        )
    assert not ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Complaint)
    ).exists()
    client.force_login(UserFactory(username="dao", groups=[settings.DATA_OFFICERS_GROUP]))
    response = client.get(
        reverse("wagtailsnippets_mentoring_application:usage", args=[application.pk])
    )
    assert response.status_code == 200
    assert "Pat Example" in body(response)
    assert f"Complaint {complaint.pk}" not in body(response)
    assert "conduct/complaint" not in body(response)
