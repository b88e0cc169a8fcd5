"""One mechanism for accepting the code of conduct: applicants accept its current version on
applying; volunteers accept it and their position descriptions on first sign-in to the
admin, before any other admin page, and again after a director publishes a material change."""

import pytest
from django.conf import settings
from wagtail.models import ModelLogEntry

from mentoring.models import Application
from tests.mentoring.test_views import valid_post
from volunteers.models import Acceptance, DocumentVersion
from volunteers.services import agreements
from website.factories.mentoring import RoundFactory
from website.factories.volunteers import make_record
from website.factories.website import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer():
    user = UserFactory(username="cora", groups=[])
    make_record(user, ["content_officer"])
    return user


def accept_everything(client, response) -> object:
    """Tick every box of the acceptance screen and send it."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form", attrs={"method": "post"})
    data = {
        field["name"]: field.get("value", "on")
        for field in form.find_all("input")
        if field.get("name") and field.get("type") != "submit"
    }
    return client.post(response.request["PATH_INFO"], data)


def test_first_sign_in_asks_for_the_code_and_the_position_description(client, volunteer):
    client.force_login(volunteer)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/volunteers/accept/?next=%2Fadmin%2Fpages%2F"
    screen = client.get(response["Location"])
    text = screen.content.decode()
    assert "Code of conduct" in text and "Position description: Content officer" in text

    refused = client.post("/admin/volunteers/accept/", {"next": "/admin/pages/"})
    assert refused.status_code == 200
    assert "Please tick this box" in refused.content.decode()
    assert not Acceptance.objects.filter(user=volunteer).exists()

    done = accept_everything(client, screen)
    assert done.status_code == 302 and done["Location"] == "/admin/pages/"
    assert set(Acceptance.objects.filter(user=volunteer).values_list("document", "version")) == {
        ("code_of_conduct", 1),
        ("position:content_officer", 1),
    }
    assert client.get("/admin/").status_code == 200
    assert ModelLogEntry.objects.filter(action="volunteers.accept", user=volunteer).exists()


def test_a_new_version_is_accepted_again(client, volunteer):
    agreements.accept(volunteer, agreements.pending_for(volunteer))
    director = UserFactory(username="dora", groups=[settings.DIRECTORS_GROUP])
    client.force_login(director)
    response = client.post(
        "/admin/snippets/volunteers/documentversion/add/",
        {"document": "code_of_conduct", "summary": "A section on online harassment."},
    )
    assert response.status_code == 302
    assert DocumentVersion.objects.get().number == 2

    client.force_login(volunteer)
    response = client.get("/admin/")
    assert response["Location"].startswith("/admin/volunteers/accept/")
    screen = client.get(response["Location"])
    assert "A section on online harassment." in screen.content.decode()
    assert "Position description" not in screen.content.decode()  # still at the accepted version
    accept_everything(client, screen)
    assert Acceptance.objects.filter(user=volunteer, document="code_of_conduct", version=2).exists()
    assert client.get("/admin/").status_code == 200


def test_admin_users_without_a_record_and_the_sign_in_steps_are_not_held(client):
    officer = UserFactory(username="olly", groups=[settings.CONTENT_OFFICERS_GROUP])
    client.force_login(officer)
    assert client.get("/admin/").status_code == 200


def test_an_application_stores_the_version_of_the_code_accepted(client):
    DocumentVersion.objects.create(document="code_of_conduct", number=2, summary="Changed")
    DocumentVersion.objects.create(document="code_of_conduct", number=3, summary="Changed again")
    RoundFactory(opened_days_ago=2)
    response = client.post("/apply/", valid_post())
    assert response.status_code == 302
    application = Application.objects.get()
    assert agreements.accepted_version(application) == 3
    assert application.consent_version.startswith("coc:v3;")  # one source: DocumentVersion
    acceptance = Acceptance.objects.get(application=application)
    assert acceptance.accepted_at == application.agreed_code_of_conduct_at


def test_the_acceptance_check_costs_no_query_once_a_session_has_accepted(client, volunteer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from volunteers.middleware import AcceptanceMiddleware

    agreements.accept(volunteer, agreements.pending_for(volunteer))
    client.force_login(volunteer)
    assert client.get("/admin/").status_code == 200

    middleware = AcceptanceMiddleware(lambda request: None)
    request = client.get("/admin/").wsgi_request  # a second admin request of this session
    request.session = client.session
    assert request.session.keys() and request.user.pk  # loaded, as earlier middleware does
    with CaptureQueriesContext(connection) as queries:
        assert middleware.check(request) is None
    assert len(queries) == 0

    # A new version moves the stamp: the same session is held again on its next request.
    DocumentVersion.objects.create(document="code_of_conduct", number=1, summary="Old")
    agreements.publish_version(DocumentVersion(document="code_of_conduct", summary="New"), by=None)
    assert client.get("/admin/")["Location"].startswith("/admin/volunteers/accept/")


def test_two_publishes_get_the_next_two_numbers(client):
    director = UserFactory(username="dora", groups=[settings.DIRECTORS_GROUP])
    client.force_login(director)
    for summary in ["First change.", "Second change."]:
        response = client.post(
            "/admin/snippets/volunteers/documentversion/add/",
            {"document": "code_of_conduct", "summary": summary},
        )
        assert response.status_code == 302
    assert list(DocumentVersion.objects.order_by("number").values_list("number", flat=True)) == [
        2,
        3,
    ]


def test_a_publish_that_loses_the_race_takes_the_number_after(monkeypatch):
    """The other director's version is saved between this one's read and its insert."""
    calls = []

    original = type(DocumentVersion.objects.all()).aggregate

    def racing_aggregate(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        if not calls:
            calls.append(1)
            DocumentVersion.objects.create(
                document="code_of_conduct", number=(result["latest"] or 1) + 1, summary="Other"
            )
        return result

    monkeypatch.setattr(type(DocumentVersion.objects.all()), "aggregate", racing_aggregate)
    version = agreements.publish_version(
        DocumentVersion(document="code_of_conduct", summary="Mine"), by=None
    )
    assert version.number == 3
    assert DocumentVersion.objects.count() == 2
