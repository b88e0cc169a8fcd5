"""The escalations and leaks found in the admin, each refused: a director making themselves or
anyone a superuser, guest editors deleting, unpublishing or moving pages outside the
workflow, and the choosers listing personal data to every role. Each refusal is a 403 page,
logged with the user and the URL, and changes nothing."""

import logging

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page

from mentoring.models import BarredEmail
from website.factories.mentoring import ApplicationFactory
from website.factories.website import StandardPageFactory, UserFactory

User = get_user_model()


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", "root-password")


@pytest.fixture
def director(db):
    return UserFactory(username="director", groups=[settings.DIRECTORS_GROUP])


@pytest.fixture
def volunteer(db):
    return UserFactory(username="volunteer", groups=[settings.CONTENT_OFFICERS_GROUP])


def account_form(user, **changes) -> dict:
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "groups": [group.pk for group in user.groups.all()],
        "password1": "",
        "password2": "",
    }
    data.update(changes)
    return data


def assert_refused(response, caplog, path: str, username: str) -> None:
    assert response.status_code == 403
    assert b"You do not have permission to do this" in response.content
    assert any(
        path in record.getMessage() and username in record.getMessage()
        for record in caplog.records
        if record.name == "website.permissions"
    )


def test_director_cannot_set_a_superusers_password(client, director, superuser, caplog):
    client.force_login(director)
    before = User.objects.get(pk=superuser.pk).password
    path = f"/admin/users/edit/{superuser.pk}/"
    with caplog.at_level(logging.WARNING, logger="website.permissions"):
        response = client.post(
            path,
            account_form(superuser, password1="taken-over-1234", password2="taken-over-1234"),
        )
    assert_refused(response, caplog, path, director.username)
    assert User.objects.get(pk=superuser.pk).password == before
    assert client.get(path).status_code == 403
    client.logout()
    assert not client.login(username="root", password="taken-over-1234")


def test_director_cannot_create_a_superuser(client, director):
    client.force_login(director)
    data = {
        "username": "newboss",
        "email": "newboss@example.org",
        "first_name": "New",
        "last_name": "Boss",
        "password1": "a-long-password-123",
        "password2": "a-long-password-123",
        "is_superuser": "on",
        "groups": [Group.objects.get(name=settings.DIRECTORS_GROUP).pk],
    }
    response = client.post("/admin/users/new/", data)
    assert response.status_code in (200, 403)
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(username="newboss", groups__name="Directors").exists()


def test_director_creates_a_volunteer_in_the_groups_below(client, director):
    client.force_login(director)
    officers = Group.objects.get(name=settings.CONTENT_OFFICERS_GROUP)
    response = client.post(
        "/admin/users/new/",
        {
            "username": "newofficer",
            "email": "newofficer@example.org",
            "first_name": "New",
            "last_name": "Officer",
            "password1": "a-long-password-123",
            "password2": "a-long-password-123",
            "groups": [officers.pk],
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="newofficer")
    assert not created.is_superuser
    assert list(created.groups.all()) == [officers]


def test_director_cannot_raise_their_own_rights(client, director, caplog):
    client.force_login(director)
    path = f"/admin/users/edit/{director.pk}/"
    with caplog.at_level(logging.WARNING, logger="website.permissions"):
        response = client.post(path, account_form(director, is_superuser="on"))
    assert_refused(response, caplog, path, director.username)
    fresh = User.objects.get(pk=director.pk)
    assert not fresh.is_superuser
    assert {g.name for g in fresh.groups.all()} == {settings.DIRECTORS_GROUP}


def test_director_cannot_edit_or_delete_another_director(client, director):
    other = UserFactory(username="other-director", groups=[settings.DIRECTORS_GROUP])
    client.force_login(director)
    assert client.post(f"/admin/users/edit/{other.pk}/", account_form(other)).status_code == 403
    assert client.post(f"/admin/users/delete/{other.pk}/").status_code == 403
    assert User.objects.filter(pk=other.pk).exists()


def test_director_cannot_make_a_volunteer_a_director(client, director, volunteer):
    client.force_login(director)
    directors = Group.objects.get(name=settings.DIRECTORS_GROUP)
    response = client.post(
        f"/admin/users/edit/{volunteer.pk}/",
        account_form(volunteer, groups=[directors.pk], is_superuser="on"),
    )
    assert response.status_code == 200  # the form, with the group refused
    fresh = User.objects.get(pk=volunteer.pk)
    assert not fresh.is_superuser
    assert {g.name for g in fresh.groups.all()} == {settings.CONTENT_OFFICERS_GROUP}


def test_director_manages_a_volunteer(client, director, volunteer):
    client.force_login(director)
    social = Group.objects.get(name=settings.SOCIAL_COORDINATORS_GROUP)
    response = client.post(
        f"/admin/users/edit/{volunteer.pk}/", account_form(volunteer, groups=[social.pk])
    )
    assert response.status_code == 302
    assert [g.name for g in User.objects.get(pk=volunteer.pk).groups.all()] == [social.name]
    listing = client.get("/admin/users/").content.decode()
    assert volunteer.username in listing or volunteer.get_full_name() in listing


def test_superuser_still_manages_everyone(client, superuser, director):
    client.force_login(superuser)
    response = client.post(
        f"/admin/users/edit/{director.pk}/", account_form(director, is_superuser="on")
    )
    assert response.status_code == 302
    assert User.objects.get(pk=director.pk).is_superuser


@pytest.fixture
def guest_editor(db):
    return UserFactory(username="guest", groups=[settings.GUEST_EDITORS_GROUP])


@pytest.mark.parametrize("live", [True, False])
def test_guest_editor_cannot_delete_unpublish_move_or_restrict(
    client, home_page, guest_editor, live
):
    page = StandardPageFactory(parent=home_page, title="Kept", live=live)
    other = StandardPageFactory(parent=home_page, title="Elsewhere")
    client.force_login(guest_editor)
    refused = [
        client.post(f"/admin/pages/{page.pk}/delete/"),
        client.post(f"/admin/pages/{page.pk}/unpublish/"),
        client.post(f"/admin/pages/{page.pk}/move/{other.pk}/confirm/"),
        client.post(f"/admin/pages/{page.pk}/privacy/", {"restriction_type": "login"}),
    ]
    assert [response.status_code for response in refused] == [403] * len(refused)
    # In bulk, Wagtail leaves out the pages it refuses; the hook refuses the rest.
    bulk = client.post(f"/admin/bulk/wagtailcore/page/delete/?id={page.pk}", {"id": [page.pk]})
    assert bulk.status_code in (302, 403)
    fresh = Page.objects.get(pk=page.pk)
    assert fresh.live == live
    assert fresh.get_parent().pk == home_page.pk
    assert not fresh.get_view_restrictions().exists()


def test_content_officer_cannot_delete_their_draft_either(client, home_page, volunteer):
    page = StandardPageFactory(parent=home_page, title="Draft", live=False, owner=volunteer)
    client.force_login(volunteer)
    assert client.post(f"/admin/pages/{page.pk}/delete/").status_code == 403
    assert Page.objects.filter(pk=page.pk).exists()


def test_guest_editor_approves_and_the_workflow_publishes(client, home_page, guest_editor):
    officer = UserFactory(username="officer", groups=[settings.CONTENT_OFFICERS_GROUP])
    page = StandardPageFactory(parent=home_page, title="Reviewed", live=False)
    page.save_revision(user=officer)
    workflow_state = page.get_workflow().start(page, officer)
    task_state = workflow_state.current_task_state
    client.force_login(guest_editor)
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code in (200, 302)
    assert Page.objects.get(pk=page.pk).live


def test_director_deletes_pages(client, home_page, director):
    page = StandardPageFactory(parent=home_page, title="Gone")
    client.force_login(director)
    assert client.post(f"/admin/pages/{page.pk}/delete/").status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()


CHOOSER_ROLES = [
    settings.SOCIAL_COORDINATORS_GROUP,
    settings.COMMUNICATIONS_OFFICERS_GROUP,
    settings.CONTENT_OFFICERS_GROUP,
    settings.GUEST_EDITORS_GROUP,
    settings.AMBASSADORS_GROUP,
]


@pytest.mark.parametrize("role", CHOOSER_ROLES)
@pytest.mark.parametrize(
    "path",
    [
        "/admin/snippets/choose/mentoring/barredemail/",
        "/admin/snippets/choose/mentoring/barredemail/results/?q=barred",
        "/admin/snippets/choose/mentoring/application/",
        "/admin/snippets/choose/mentoring/interestedperson/",
        "/admin/snippets/choose/campaigns/suppression/",
        "/admin/localize/api/snippets/mentoring/application/",
        "/admin/localize/api/snippets/mentoring/barredemail/",
    ],
)
def test_choosers_and_snippet_api_refuse_personal_data(client, db, role, path, caplog):
    BarredEmail.objects.create(email_normalised="barred-person@example.org")
    ApplicationFactory(name="Zebedee Applicant", email="zebedee@example.org")
    user = UserFactory(username="someone", groups=[role])
    client.force_login(user)
    with caplog.at_level(logging.WARNING, logger="website.permissions"):
        response = client.get(path, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "barred-person" not in body and "Zebedee" not in body
    assert any(path.split("?")[0] in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("role", [settings.DIRECTORS_GROUP, settings.DATA_OFFICERS_GROUP])
def test_barred_list_chooser_open_to_those_who_keep_it(client, db, role):
    BarredEmail.objects.create(email_normalised="barred-person@example.org")
    client.force_login(UserFactory(username="keeper", groups=[role]))
    response = client.get("/admin/snippets/choose/mentoring/barredemail/")
    assert response.status_code == 200
    assert "barred-person@example.org" in response.json()["html"]


def test_round_chooser_open_to_page_editors(client, db):
    client.force_login(UserFactory(username="editor", groups=[settings.CONTENT_OFFICERS_GROUP]))
    assert client.get("/admin/snippets/choose/mentoring/round/").status_code == 200


def test_ambassador_sees_only_their_countries_aggregates(client, db):
    from website.factories.ambassadors import AmbassadorFactory

    user = UserFactory(username="amadou", groups=[settings.AMBASSADORS_GROUP])
    AmbassadorFactory(name="Amadou", slug="amadou", user=user, languages=["fr"], countries=["SN"])
    ApplicationFactory(name="Awa Ndiaye-Sarr", country="SN")
    ApplicationFactory(name="Ottoline Vasquez-Imre", country="MX")
    client.force_login(user)
    body = client.get("/admin/").content.decode()
    assert "Senegal" in body
    assert "Mexico" not in body
    assert "Ndiaye-Sarr" not in body and "Vasquez-Imre" not in body
    for path in ["/admin/snippets/mentoring/application/", "/admin/snippets/mentoring/round/"]:
        assert client.get(path).status_code == 403
