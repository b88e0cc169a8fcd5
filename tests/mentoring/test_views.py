"""The public journey through the views: forms that keep what was typed, signed links
whose GET changes nothing, private personal pages, and the data rights."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from mentoring import links
from mentoring.models import Application, Interest, InterestedPerson, Partnership, Person
from website.factories.mentoring import ApplicationFactory, RoundFactory
from website.models import OutboundEmail

APPLY = "/apply/"


def valid_post(**overrides):
    data = {
        "name": "Kofi Mensah",
        "email": "kofi@example.org",
        "country": "GH",
        "city": "Accra",
        "time_zone": "Africa/Accra",
        "sector": "academic",
        "role": "Liaison librarian",
        "career_stage": "early",
        "years_experience": "3",
        "languages": ["fr"],
        "interests": [str(Interest.objects.get(code="open_access").pk)],
        "wants_sector": "different",
        "wants_career_stage": "any",
        "availability": ["tue-eve", "sat-am"],
        "special_requests": "",
        "agree_code_of_conduct": "on",
        "agree_requirements": "on",
    }
    data.update(overrides)
    return data


def personal_path(application):
    token = links.make_token(links.PERSONAL, application.pk, application.access_key)
    return reverse("mentoring:personal_page", kwargs={"token": token}), token


@pytest.mark.django_db
def test_closed_round_offers_the_interest_list(client):
    RoundFactory(opened_days_ago=-10)
    response = client.get(APPLY)
    assert "Applications are closed" in response.content.decode()
    response = client.post(APPLY, {"name": "Mei", "email": "mei@example.org", "country": "TW"})
    assert response.status_code == 302
    person = InterestedPerson.objects.get()
    assert person.confirmed_at is None
    assert OutboundEmail.objects.get().template == "interest_confirm"


@pytest.mark.django_db
def test_valid_application_is_stored_once_even_if_sent_twice(client):
    RoundFactory(opened_days_ago=2)
    for _ in range(2):
        response = client.post(APPLY, valid_post())
        assert response.status_code == 302
        assert response["Location"] == "/apply/sent/"
    application = Application.objects.get()
    assert application.country.code == "GH"
    assert application.availability == ["tue-eve", "sat-am"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Kofi\x00Mensah"),
        ("name", "K" * 10_000),
        ("country", "XX"),
        ("years_experience", "-4"),
        ("years_experience", "lots"),
        ("time_zone", "Mars/Olympus"),
        ("email", "not-an-address"),
        ("agree_code_of_conduct", ""),
        ("interests", ["999999"]),
    ],
)
def test_bad_input_gets_a_message_and_keeps_the_rest(client, field, value):
    RoundFactory(opened_days_ago=2)
    response = client.post(APPLY, valid_post(**{field: value}))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert 'value="Liaison librarian"' in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_too_many_interests_are_refused(client):
    RoundFactory(opened_days_ago=2)
    many = [str(pk) for pk in Interest.objects.values_list("pk", flat=True)[:7]]
    response = client.post(APPLY, valid_post(interests=many))
    assert "interests" in response.context["form"].errors


@pytest.mark.django_db
def test_wrong_members_code_is_refused_and_right_one_records_the_pathway(client):
    from mentoring.models import PartnerOrganisation, Pathway

    round = RoundFactory(opened_days_ago=2)
    organisation = PartnerOrganisation.objects.create(name="Coastal Library Association")
    pathway = Pathway.objects.create(
        round=round, organisation=organisation, kind=Pathway.Kind.MEMBERS_ONLY, code="COAST-26"
    )
    response = client.post(APPLY, valid_post(pathway_code="WRONG"))
    assert "pathway_code" in response.context["form"].errors
    client.post(APPLY, valid_post(pathway_code="coast-26"))
    assert Application.objects.get().pathway == pathway
    invitation = links.pathway_link_token(pathway)
    assert 'value="COAST-26"' in client.get(APPLY, {"invite": invitation}).content.decode()


@pytest.mark.django_db
def test_honeypot_is_silent(client):
    RoundFactory(opened_days_ago=2)
    response = client.post(APPLY, valid_post(website="http://spam.example"))
    assert response.status_code == 302
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_verification_link_get_changes_nothing_post_verifies(client):
    application = ApplicationFactory(
        round=RoundFactory(opened_days_ago=2),
        status=Application.Status.UNVERIFIED,
        verified_at=None,
    )
    url = links.verification_url(application).removeprefix("http://127.0.0.1:8000")
    response = client.get(url)
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == Application.Status.UNVERIFIED
    response = client.post(url)
    application.refresh_from_db()
    assert application.status == Application.Status.VERIFIED
    assert response.status_code == 302 and "/me/" in response["Location"]


@pytest.mark.django_db
def test_personal_page_is_private_and_shows_only_its_owner(client):
    round = RoundFactory(opened_days_ago=2)
    mine = ApplicationFactory(round=round, name="Ana Lima")
    ApplicationFactory(round=round, name="Someone Else", country="KE")
    path, _token = personal_path(mine)
    response = client.get(path)
    body = response.content.decode()
    assert "Ana Lima" in body
    assert "Someone Else" not in body
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_partner_and_reasons_show_once_introduced(client):
    round = RoundFactory(opened_days_ago=60)
    partnership = Partnership.objects.create(
        round=round, reasons={"summary": ["You both love maps."]}
    )
    me = ApplicationFactory(round=round, status=Application.Status.MATCHED, partnership=partnership)
    ApplicationFactory(
        round=round,
        status=Application.Status.MATCHED,
        country="KE",
        name="Wanjiru Kamau",
        partnership=partnership,
    )
    path, _ = personal_path(me)
    assert "Wanjiru Kamau" not in client.get(path).content.decode()
    partnership.published_at = round.start_datetime
    partnership.save()
    body = client.get(path).content.decode()
    assert "Wanjiru Kamau" in body and "You both love maps." in body


@pytest.mark.django_db
def test_broken_link_gets_a_clear_page(client):
    response = client.get("/me/not-a-real-token/")
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_confirm_and_withdraw_need_a_post(client):
    application = ApplicationFactory(round=RoundFactory(opened_days_ago=2))
    _path, token = personal_path(application)
    for name in ["confirm", "withdraw"]:
        client.get(reverse(f"mentoring:{name}", kwargs={"token": token}))
    application.refresh_from_db()
    assert application.status == Application.Status.VERIFIED
    client.post(reverse("mentoring:confirm", kwargs={"token": token}))
    application.refresh_from_db()
    assert application.status == Application.Status.CONFIRMED
    client.post(reverse("mentoring:withdraw", kwargs={"token": token}))
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


@pytest.mark.django_db
def test_data_download_and_erasure(client):
    round = RoundFactory(opened_days_ago=2)
    application = ApplicationFactory(
        round=round,
        name="Ana Lima",
        email="ana@example.org",
        special_requests="Someone who knows archives",
    )
    InterestedPerson.objects.create(name="Ana Lima", email="ana@example.org", country="BR")
    _path, token = personal_path(application)

    response = client.get(reverse("mentoring:download_data", kwargs={"token": token}))
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["applications"][0]["special_requests"] == "Someone who knows archives"
    assert data["interest_list"]["email"] == "ana@example.org"

    erase_url = reverse("mentoring:erase_data", kwargs={"token": token})
    client.post(erase_url, {})
    application.refresh_from_db()
    assert application.erased_at is None
    response = client.post(erase_url, {"confirm": "erase"})
    assert "Your data is erased" in response.content.decode()
    application.refresh_from_db()
    assert application.name == "Erased participant"
    assert "ana" not in application.email
    assert application.special_requests == ""
    assert application.country.code == "AU"
    assert not InterestedPerson.objects.exists()
    assert Application.objects.filter(round=round).count() == 1
    assert not Person.objects.filter(email_normalised="ana@example.org").exists()
    assert (
        client.get(reverse("mentoring:personal_page", kwargs={"token": token})).status_code == 400
    )


@pytest.mark.django_db
def test_lost_link_answers_the_same_whether_or_not_we_know_the_address(client):
    application = ApplicationFactory(email="known@example.org")
    known = client.post("/me/", {"email": "known@example.org"})
    unknown = client.post("/me/", {"email": "nobody@example.org"})
    assert known.content == unknown.content
    assert OutboundEmail.objects.get().to == application.email


@pytest.mark.django_db
def test_an_empty_application_gets_an_error_summary_with_a_link_per_field(client):
    RoundFactory(opened_days_ago=2)
    response = client.post(APPLY, {"name": ""})
    soup = BeautifulSoup(response.content, "html.parser")
    form = response.context["form"]
    assert soup.title.get_text().startswith("Error: ")
    summary = soup.select_one("[data-error-summary]")
    assert summary["tabindex"] == "-1"
    assert f"There are {len(form.errors)} problems" in summary.h2.get_text()
    targets = [link["href"] for link in summary.select("a")]
    assert len(targets) == len(form.errors)
    assert "#id_interests_0" in targets
    for target in targets:
        assert soup.select_one(target) is not None, target
    interests = soup.select_one("#id_interests_0").find_parent("fieldset")
    assert "required" in interests.legend["class"]
