"""The public directory: regions and countries, a country's ambassadors and promotional pages,
and the contact form that never shows an ambassador's address."""

import pytest
from django.core import mail
from django.core.cache import cache

from tests.ambassadors.conftest import make_ambassador
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_directory_groups_countries_by_region(
    client, directory, spanish_ambassador, french_ambassador
):
    body = client.get(directory.url).content.decode()
    assert "Americas" in body and "Africa" in body
    assert "Mexico" in body and "Colombia" in body and "Senegal" in body
    assert "/ambassadors/country/mx/" in body


def test_country_page_lists_its_ambassadors_and_promo_pages(
    client, directory, promo, spanish_ambassador, locales
):
    spanish = promo.copy_for_translation(locales["es"])
    spanish.english_only_statement = "El programa se desarrolla únicamente en inglés."
    spanish.save_revision().publish()
    response = client.get("/ambassadors/country/mx/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lucia" in body
    assert spanish_ambassador.email not in body
    assert promo.url in body
    assert spanish.url in body


def test_a_resigned_ambassador_is_not_listed(client, directory, spanish_ambassador):
    spanish_ambassador.resigned_on = spanish_ambassador.term_starts_on
    spanish_ambassador.save()
    assert client.get("/ambassadors/country/mx/").status_code == 404
    assert client.get("/ambassadors/country/zz/").status_code == 404


def test_the_directory_works_in_spanish(client, directory, spanish_ambassador):
    body = client.get("/es/ambassadors/country/mx/").content.decode()
    assert "México" in body


def test_contact_form_sends_through_the_outbox(
    client, directory, spanish_ambassador, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/ambassadors/contact/lucia/",
            {"name": "Ana", "email": "ana@example.net", "message": "Hello, can we talk about it?"},
            follow=True,
        )
    assert response.status_code == 200
    assert "your message is on its way" in response.content.decode()
    message = OutboundEmail.objects.get(template="ambassador_contact")
    assert message.to == spanish_ambassador.email
    assert len(mail.outbox) == 1
    assert "ana@example.net" in mail.outbox[0].body
    assert "Hello, can we talk about it?" in mail.outbox[0].body


def test_contact_form_keeps_the_input_on_errors(client, directory, spanish_ambassador):
    response = client.post(
        "/ambassadors/contact/lucia/",
        {"name": "Ana", "email": "nope", "message": "Hi there, friend"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hi there, friend" in body
    assert "Enter a valid email address" in body
    assert not OutboundEmail.objects.exists()
    assert spanish_ambassador.email not in body


def test_honeypot_sends_nothing(client, directory, spanish_ambassador):
    response = client.post(
        "/ambassadors/contact/lucia/",
        {
            "name": "Bot",
            "email": "bot@example.net",
            "message": "Buy cheap things now",
            "website": "http://spam.example",
        },
    )
    assert response.status_code == 302
    assert not OutboundEmail.objects.exists()


def test_contact_form_is_rate_limited(client, directory, spanish_ambassador):
    data = {"name": "Ana", "email": "ana@example.net", "message": "A question about rounds"}
    for _n in range(5):
        assert client.post("/ambassadors/contact/lucia/", data).status_code == 302
    response = client.post("/ambassadors/contact/lucia/", data)
    assert response.status_code == 200
    assert "try again in an hour" in response.content.decode()
    assert OutboundEmail.objects.count() == 5


def test_behind_a_proxy_the_limit_counts_each_visitor(
    client, directory, spanish_ambassador, settings
):
    """Everyone arrives from the proxy's address; the limit goes by the address the proxy
    saw, and an address the visitor wrote into X-Forwarded-For does not reset it."""
    settings.TRUSTED_PROXY_COUNT = 1
    data = {"name": "Ana", "email": "ana@example.net", "message": "A question about rounds"}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(5):
        forwarded = f"198.51.100.{n}, 203.0.113.7"  # spoofed, then what the proxy saw
        response = client.post(
            "/ambassadors/contact/lucia/", data, HTTP_X_FORWARDED_FOR=forwarded, **proxy
        )
        assert response.status_code == 302
    refused = client.post(
        "/ambassadors/contact/lucia/", data, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy
    )
    assert "try again in an hour" in refused.content.decode()
    other = client.post(
        "/ambassadors/contact/lucia/", data, HTTP_X_FORWARDED_FOR="192.0.2.44", **proxy
    )
    assert other.status_code == 302
    assert OutboundEmail.objects.count() == 6


def test_ambassador_edits_only_their_own_profile(client, spanish_ambassador, french_ambassador):
    client.force_login(spanish_ambassador.user)
    own = client.get(f"/admin/snippets/ambassadors/ambassador/edit/{spanish_ambassador.pk}/")
    assert own.status_code == 200
    other = client.get(f"/admin/snippets/ambassadors/ambassador/edit/{french_ambassador.pk}/")
    assert other.status_code in {302, 403}
    listing = client.get("/admin/snippets/ambassadors/ambassador/").content.decode()
    assert "Lucia" in listing and "Amadou" not in listing


def test_languages_give_the_locale_groups(locales):
    ambassador = make_ambassador("nadia", ["ar", "fr"], ["MA"])
    names = set(ambassador.user.groups.values_list("name", flat=True))
    assert names == {"Ambassadors", "Ambassadors: Arabic", "Ambassadors: French"}
    ambassador.languages = ["ar"]
    ambassador.save()
    names = set(ambassador.user.groups.values_list("name", flat=True))
    assert names == {"Ambassadors", "Ambassadors: Arabic"}


def profile_data(ambassador, **changes) -> dict:
    data = {
        "name": ambassador.name,
        "email": ambassador.email,
        "photo": "",
        "bio": "A new bio.",
        "countries-TOTAL_FORMS": "1",
        "countries-INITIAL_FORMS": "1",
        "countries-MIN_NUM_FORMS": "1",
        "countries-MAX_NUM_FORMS": "1000",
    }
    row = ambassador.countries.first()
    data.update(
        {
            "countries-0-id": str(row.pk),
            "countries-0-country": row.country.code,
            "countries-0-ORDER": "1",
            "countries-0-DELETE": "",
        }
    )
    data.update(changes)
    return data


def test_ambassador_updates_their_bio_but_not_their_countries(client, french_ambassador):
    client.force_login(french_ambassador.user)
    url = f"/admin/snippets/ambassadors/ambassador/edit/{french_ambassador.pk}/"
    assert client.post(url, profile_data(french_ambassador)).status_code == 302
    french_ambassador.refresh_from_db()
    assert french_ambassador.bio == "A new bio."
    response = client.post(url, profile_data(french_ambassador, **{"countries-0-country": "FR"}))
    assert "Only a director can change the countries" in response.content.decode()
    assert french_ambassador.country_codes == ["SN"]


def test_director_manages_ambassadors(client, director, french_ambassador):
    client.force_login(director)
    assert client.get("/admin/snippets/ambassadors/ambassador/add/").status_code == 200
    listing = client.get("/admin/snippets/ambassadors/ambassador/").content.decode()
    assert "Amadou" in listing


def test_director_searches_ambassadors(client, director, french_ambassador, spanish_ambassador):
    client.force_login(director)
    response = client.get("/admin/snippets/ambassadors/ambassador/?q=amadou")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Amadou" in body and "Lucia" not in body
