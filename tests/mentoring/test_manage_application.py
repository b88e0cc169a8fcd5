"""Applicants manage their application from their personal page until applications close:
they see what they sent, correct it with the same form (filled in, checked the same way),
or withdraw; applying again with the same address sends their page's link, and says so."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring import links
from mentoring.models import Application, Interest, Round
from mentoring.services import applications
from tests.mentoring.test_views import valid_post
from website.factories.mentoring import RoundFactory
from website.models import OutboundEmail

APPLY = "/apply/"


def personal(application: Application) -> tuple[str, str]:
    token = links.make_token(links.PERSONAL, application.pk, application.access_key)
    return reverse("mentoring:personal_page", kwargs={"token": token}), token


def correct_url(token: str) -> str:
    return reverse("mentoring:correct_application", kwargs={"token": token})


@pytest.fixture
def applied(client, db) -> Application:
    """Kofi applied through the form and verified his address."""
    RoundFactory(opened_days_ago=2)
    client.post(APPLY, valid_post())
    application = Application.objects.get()
    applications.verify_email(application)
    return Application.objects.get(pk=application.pk)


# Re-applying with the same address


@pytest.mark.django_db
def test_applying_again_sends_the_personal_link_once_an_hour_and_says_so(client, applied):
    OutboundEmail.objects.all().delete()
    response = client.post(APPLY, valid_post(city="Kumasi"))
    assert response["Location"] == "/apply/sent/?again=sent"
    body = client.get(response["Location"]).content.decode()
    assert "You have already applied to this round" in body
    assert "We have emailed you the link to your personal page again" in body
    message = OutboundEmail.objects.get()
    assert message.template == "personal_link"
    assert message.to == "kofi@example.org"
    page = client.get(message.context["page_url"].removeprefix("http://127.0.0.1:8000"))
    assert "Hello, Kofi Mensah" in page.content.decode()
    assert Application.objects.get().city == "Accra"

    response = client.post(APPLY, valid_post(email="Kofi@Example.org"))
    assert response["Location"] == "/apply/sent/?again=recent"
    body = client.get(response["Location"]).content.decode()
    assert "less than an hour ago, so we have not sent it again" in body
    assert OutboundEmail.objects.count() == 1
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_the_link_goes_again_in_the_next_hour(applied):
    assert applications.send_personal_link(applied) is True
    assert applications.send_personal_link(applied) is False
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=1)):
        assert applications.send_personal_link(applied) is True
    assert OutboundEmail.objects.filter(template="personal_link").count() == 2


@pytest.mark.django_db
def test_a_first_application_still_asks_to_verify(client):
    RoundFactory(opened_days_ago=2)
    response = client.post(APPLY, valid_post())
    assert response["Location"] == "/apply/sent/"
    assert "open it to verify your address" in client.get("/apply/sent/").content.decode()


# Seeing and correcting the application


@pytest.mark.django_db
def test_the_personal_page_shows_what_was_sent(client, applied):
    path, token = personal(applied)
    body = client.get(path).content.decode()
    assert "What you sent us" in body
    assert "Liaison librarian" in body
    assert "Open access" in body
    assert "Tuesday evening" in body
    assert "Academic or research library" in body
    assert "Ghana" in body
    assert correct_url(token) in body


@pytest.mark.django_db
def test_the_correction_form_is_filled_in_with_what_was_sent(client, applied):
    _path, token = personal(applied)
    response = client.get(correct_url(token))
    assert response.status_code == 200
    form = response.context["form"]
    assert "email" not in form.fields and "agree_code_of_conduct" not in form.fields
    body = response.content.decode()
    assert 'value="Liaison librarian"' in body
    open_access = Interest.objects.get(code="open_access").pk
    assert f'value="{open_access}" id="id_interests_' in body
    assert body.count("checked") >= 4
    assert '<option value="Africa/Accra" selected>' in body
    assert '<option value="GH" selected>' in body
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_correction_is_stored_and_reaches_the_engine(client, applied):
    _path, token = personal(applied)
    chosen = Interest.objects.filter(code__in=["archives", "preservation"])
    post = valid_post(
        city="Kumasi",
        role="Archivist",
        years_experience="4",
        interests=[str(interest.pk) for interest in chosen],
        time_zone="Europe/London",
        email="someone.else@example.org",
    )
    response = client.post(correct_url(token), post)
    assert response.status_code == 302
    assert response["Location"] == personal(applied)[0]
    stored = Application.objects.get(pk=applied.pk)
    assert (stored.city, stored.role, stored.years_experience) == ("Kumasi", "Archivist", 4)
    assert str(stored.time_zone) == "Europe/London"
    assert stored.email == "kofi@example.org"
    assert stored.status == Application.Status.VERIFIED
    assert set(stored.interests.values_list("code", flat=True)) == {"archives", "preservation"}

    from mentoring.services.adapter import applicant_record

    assert applicant_record(stored).interests == frozenset({"archives", "preservation"})
    follow = client.get(response["Location"]).content.decode()
    assert "your application is updated" in follow


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("years_experience", "-1"),
        ("interests", []),
        ("country", "XX"),
        ("pathway_code", "NOT-A-CODE"),
    ],
)
def test_a_bad_correction_is_refused_the_same_way_and_changes_nothing(
    client, applied, field, value
):
    _path, token = personal(applied)
    response = client.post(correct_url(token), valid_post(city="Kumasi", **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'value="Kumasi"' in response.content.decode()
    assert Application.objects.get(pk=applied.pk).city == "Accra"


@pytest.mark.django_db
def test_after_applications_close_the_application_cannot_be_corrected(client, applied):
    Round.objects.update(
        application_opens_at=timezone.now() - timedelta(days=30),
        application_closes_at=timezone.now() - timedelta(minutes=1),
    )
    path, token = personal(applied)
    assert correct_url(token) not in client.get(path).content.decode()
    response = client.post(correct_url(token), valid_post(city="Kumasi"), follow=True)
    assert "Applications for this round are closed" in response.content.decode()
    assert Application.objects.get(pk=applied.pk).city == "Accra"
    applied.refresh_from_db()
    with pytest.raises(applications.CorrectionClosed):
        applications.correct_application(applied, {"city": "Kumasi"})


@pytest.mark.django_db
def test_withdrawn_applications_cannot_be_corrected(client, applied):
    _path, token = personal(applied)
    client.post(reverse("mentoring:withdraw", kwargs={"token": token}))
    client.post(correct_url(token), valid_post(city="Kumasi"))
    stored = Application.objects.get(pk=applied.pk)
    assert stored.status == Application.Status.WITHDRAWN
    assert stored.city == "Accra"


@pytest.mark.django_db
def test_a_members_pathway_survives_a_correction(client):
    from mentoring.models import PartnerOrganisation, Pathway

    round = RoundFactory(opened_days_ago=2)
    organisation = PartnerOrganisation.objects.create(name="Coastal Library Association")
    pathway = Pathway.objects.create(
        round=round, organisation=organisation, kind=Pathway.Kind.MEMBERS_ONLY, code="COAST-26"
    )
    client.post(APPLY, valid_post(pathway_code="COAST-26"))
    application = Application.objects.get()
    path, token = personal(application)
    assert "Coastal Library Association" in client.get(path).content.decode()
    form = client.get(correct_url(token)).content.decode()
    assert 'value="COAST-26"' in form
    client.post(correct_url(token), valid_post(pathway_code="COAST-26", city="Tema"))
    stored = Application.objects.get()
    assert (stored.city, stored.pathway) == ("Tema", pathway)
