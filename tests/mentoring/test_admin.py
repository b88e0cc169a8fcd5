"""The directors' admin screens: lists with filters and search, exports, round figures,
bulk actions, and who may see them."""

import pytest
from django.conf import settings
from django.urls import reverse

from mentoring.models import Application, BarredEmail
from website.factories.mentoring import ApplicationFactory, RoundFactory
from website.factories.website import UserFactory

LIST = "/admin/snippets/mentoring/application/"


@pytest.fixture
def round_with_applicants(db):
    round = RoundFactory(opened_days_ago=2)
    ApplicationFactory(round=round, name="Ana Lima", country="BR", sector="public")
    ApplicationFactory(round=round, name="Kofi Mensah", country="GH", sector="academic")
    ApplicationFactory(
        round=round,
        name="Mei Chen",
        country="TW",
        sector="academic",
        status=Application.Status.CONFIRMED,
    )
    return round


def signed_in(client, group):
    user = UserFactory(username=f"user-{group}".replace(" ", "-").lower(), groups=[group])
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_director_filters_searches_and_exports(client, round_with_applicants):
    signed_in(client, settings.DIRECTORS_GROUP)
    body = client.get(LIST, {"sector": "academic"}).content.decode()
    assert "Kofi Mensah" in body and "Ana Lima" not in body
    body = client.get(LIST, {"q": "Lima"}).content.decode()
    assert "Ana Lima" in body and "Kofi Mensah" not in body
    body = client.get(LIST, {"status": "confirmed"}).content.decode()
    assert "Mei Chen" in body and "Ana Lima" not in body

    csv = client.get(LIST, {"export": "csv"})
    assert csv.status_code == 200
    content = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert "Kofi Mensah" in content and "Ana Lima" in content
    xlsx = client.get(LIST, {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert "spreadsheetml" in xlsx["Content-Type"]


@pytest.mark.django_db
def test_round_inspect_view_shows_figures(client, round_with_applicants):
    signed_in(client, settings.DIRECTORS_GROUP)
    url = f"/admin/snippets/mentoring/round/inspect/{round_with_applicants.pk}/"
    body = client.get(url).content.decode()
    assert "Figures (3 applications)" in body
    assert "General (no pathway)" in body


@pytest.mark.django_db
def test_bulk_withdraw_and_bar(client, round_with_applicants):
    signed_in(client, settings.DIRECTORS_GROUP)
    ana = Application.objects.get(name="Ana Lima")
    kofi = Application.objects.get(name="Kofi Mensah")
    url = reverse("wagtail_bulk_action", args=("mentoring", "application", "withdraw"))
    confirmation = client.get(f"{url}?id={ana.pk}").content.decode()
    assert "Withdraw these applications?" in confirmation and "Ana Lima" in confirmation
    response = client.post(f"{url}?id={ana.pk}", {})
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.status == Application.Status.WITHDRAWN

    url = reverse("wagtail_bulk_action", args=("mentoring", "application", "bar"))
    client.post(f"{url}?id={kofi.pk}", {})
    kofi.refresh_from_db()
    assert kofi.status == Application.Status.REMOVED
    assert BarredEmail.objects.filter(email_normalised=kofi.email_normalised).exists()


@pytest.mark.django_db
def test_data_officer_sees_but_cannot_bar_or_delete(client, round_with_applicants):
    signed_in(client, settings.DATA_OFFICERS_GROUP)
    assert client.get(LIST).status_code == 200
    kofi = Application.objects.get(name="Kofi Mensah")
    url = reverse("wagtail_bulk_action", args=("mentoring", "application", "bar"))
    client.post(f"{url}?id={kofi.pk}", {})
    kofi.refresh_from_db()
    assert kofi.status != Application.Status.REMOVED
    delete = client.get(f"/admin/snippets/mentoring/application/delete/{kofi.pk}/")
    assert delete.status_code in {302, 403}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "group",
    [
        settings.AMBASSADORS_GROUP,
        settings.CONTENT_OFFICERS_GROUP,
        settings.SOCIAL_COORDINATORS_GROUP,
    ],
)
def test_other_roles_cannot_see_applicants(client, round_with_applicants, group):
    signed_in(client, group)
    response = client.get(LIST)
    assert response.status_code in {302, 403}
    assert "Kofi Mensah" not in response.content.decode()
