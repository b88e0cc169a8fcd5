"""Position descriptions are public pages for recruitment, with an "express interest" form
that keeps what was typed, shows each error by its field, drops robots silently, and lands
in a listing only directors open."""

import pytest
from django.conf import settings
from django.core.cache import cache

from volunteers.models import ExpressionOfInterest
from website.factories.volunteers import PositionIndexPageFactory, PositionPageFactory
from website.factories.website import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def positions(home_page):
    index = PositionIndexPageFactory(parent=home_page)
    PositionPageFactory(parent=index, role="data_officer", title="Data officer")
    cache.clear()
    return index


def test_the_positions_are_public_with_their_facts(client, positions):
    listing = client.get("/volunteer/").content.decode()
    assert "Data officer" in listing and "About 2 hours a week" in listing
    page = client.get("/volunteer/data-officer/").content.decode()
    assert "The directors" in page and settings.DATA_OFFICERS_GROUP in page
    assert "/volunteer/interest/?role=data_officer" in page


def test_the_form_keeps_input_and_lands_with_the_directors(client, positions):
    response = client.post(
        "/volunteer/interest/", {"name": "Noor", "email": "not-an-address", "message": "Hello"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'value="Noor"' in text and "Hello" in text
    assert "id_email_error" in text and "Please choose at least one role." in text
    assert not ExpressionOfInterest.objects.exists()

    response = client.post(
        "/volunteer/interest/",
        {"name": "Noor", "email": "noor@example.org", "roles": ["data_officer"], "country": "JO"},
    )
    assert response.status_code == 302
    interest = ExpressionOfInterest.objects.get()
    assert interest.roles == ["data_officer"] and interest.country == "JO"

    director = UserFactory(username="dora", groups=[settings.DIRECTORS_GROUP])
    client.force_login(director)
    listing = client.get("/admin/snippets/volunteers/expressionofinterest/").content.decode()
    assert "noor@example.org" in listing


def test_robots_are_thanked_and_forgotten(client, positions):
    response = client.post(
        "/volunteer/interest/",
        {"name": "Bot", "email": "bot@example.org", "roles": ["director"], "website": "x"},
    )
    assert response.status_code == 302
    assert not ExpressionOfInterest.objects.exists()


def test_rate_limit_keeps_what_was_typed(client, positions, settings):
    settings.SUBMISSION_RATE_LIMIT = 1
    data = {"name": "Noor", "email": "noor@example.org", "roles": ["data_officer"]}
    assert client.post("/volunteer/interest/", data).status_code == 302
    again = client.post("/volunteer/interest/", data)
    assert again.status_code == 200 and 'value="Noor"' in again.content.decode()
    assert ExpressionOfInterest.objects.count() == 1
