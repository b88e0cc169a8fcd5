"""A volunteer's groups follow their record, in one service, with an audit trail: a change of
role changes the groups; a break or a resignation takes them away and ends admin access, so
a session they already had is refused. Directors edit the records in the admin (not a
director's); the listing shows whose term ends in the next 60 days."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.models import ModelLogEntry

from volunteers.models import VolunteerRecord
from volunteers.services import records
from website.factories.volunteers import make_record
from website.factories.website import UserFactory

pytestmark = pytest.mark.django_db


def group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


@pytest.fixture
def director():
    user = UserFactory(username="dora", groups=[settings.DIRECTORS_GROUP])
    make_record(user, ["director"])
    from volunteers.services import agreements

    agreements.accept(user, agreements.pending_for(user))
    return user


def errors_of(response) -> str:
    import re

    html = response.content.decode()
    return " | ".join(
        re.sub(r"<[^>]+>|\s+", " ", m)[:200]
        for m in re.findall(r'class="error-message"[^>]*>(.*?)</', html, re.S)
    )


def edit_form(record: VolunteerRecord, **changes) -> dict:
    data = {
        "user": record.user_id,
        "roles": record.roles,
        "country": record.country or "",
        "reports_to": record.reports_to_id or "",
        "started_on": record.started_on.isoformat(),
        "term_ends_on": record.term_ends_on.isoformat(),
        "status": record.status,
    }
    data.update(changes)
    return data


def test_a_director_changes_a_role_in_the_admin_and_the_groups_follow(client, director):
    volunteer = UserFactory(username="cora", groups=[])
    record = make_record(volunteer, ["content_officer"], by=director)
    assert group_names(volunteer) == {settings.CONTENT_OFFICERS_GROUP}
    client.force_login(director)
    url = f"/admin/snippets/volunteers/volunteerrecord/edit/{record.pk}/"
    response = client.post(url, edit_form(record, roles=["guest_editor", "social_coordinator"]))
    assert response.status_code == 302, errors_of(response)
    assert group_names(volunteer) == {
        settings.GUEST_EDITORS_GROUP,
        settings.SOCIAL_COORDINATORS_GROUP,
    }
    entry = ModelLogEntry.objects.filter(action="volunteers.change", object_id=str(record.pk)).get()
    assert entry.user == director
    assert entry.data["changes"]["roles"] == [
        ["content_officer"],
        ["guest_editor", "social_coordinator"],
    ]
    history = client.get(f"/admin/snippets/volunteers/volunteerrecord/history/{record.pk}/")
    assert "Changed: roles: Content officer → Guest editor, Social media coordinator" in (
        history.content.decode()
    )


def test_a_director_cannot_make_someone_a_director(client, director):
    volunteer = UserFactory(username="cora", groups=[])
    record = make_record(volunteer, ["content_officer"])
    client.force_login(director)
    url = f"/admin/snippets/volunteers/volunteerrecord/edit/{record.pk}/"
    response = client.post(url, edit_form(record, roles=["director"]))
    assert response.status_code == 200
    assert "Only a superuser" in response.content.decode()
    assert group_names(volunteer) == {settings.CONTENT_OFFICERS_GROUP}

    other_director = UserFactory(username="dirk", groups=[settings.DIRECTORS_GROUP])
    response = client.post(
        "/admin/snippets/volunteers/volunteerrecord/add/",
        {
            "user": other_director.pk,
            "roles": ["content_officer"],
            "status": "active",
            "started_on": "2026-01-01",
            "term_ends_on": "",
            "country": "",
            "reports_to": "",
        },
    )
    assert response.status_code == 200 and "Only a superuser" in response.content.decode()
    assert group_names(other_director) == {settings.DIRECTORS_GROUP}


def test_resigning_ends_admin_access_even_for_an_open_session(client, director):
    volunteer = UserFactory(username="cora", groups=[])
    record = make_record(volunteer, ["content_officer"])
    from volunteers.services import agreements

    agreements.accept(volunteer, agreements.pending_for(volunteer))
    volunteer_client = type(client)()
    volunteer_client.force_login(volunteer)
    assert volunteer_client.get("/admin/").status_code == 200

    client.force_login(director)
    url = f"/admin/snippets/volunteers/volunteerrecord/edit/{record.pk}/"
    response = client.post(url, edit_form(record, status="resigned"))
    assert response.status_code == 302
    assert group_names(volunteer) == set()

    refused = volunteer_client.get("/admin/")
    assert refused.status_code == 302 and "/admin/login/" in refused["Location"]
    assert volunteer_client.get("/admin/pages/").status_code in (302, 403)
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(record.pk)).values_list("action", flat=True)
    )
    assert "volunteers.create" in actions and "volunteers.change" in actions


def test_a_break_takes_the_groups_and_a_return_gives_them_back():
    volunteer = UserFactory(username="cora", groups=[])
    record = make_record(volunteer, ["data_officer"])
    records.set_status(record, VolunteerRecord.Status.ON_BREAK, by=None, reason="holiday")
    assert group_names(volunteer) == set()
    records.set_status(record, VolunteerRecord.Status.ACTIVE, by=None)
    assert group_names(volunteer) == {settings.DATA_OFFICERS_GROUP}
    entries = ModelLogEntry.objects.filter(object_id=str(record.pk)).order_by("timestamp")
    assert [e.data["changes"].get("status") for e in entries][1:] == [
        ["active", "break"],
        ["break", "active"],
    ]


def test_end_volunteer_is_safe_to_rerun_and_ends_an_ambassador_profile():
    from website.factories.ambassadors import AmbassadorFactory

    volunteer = UserFactory(username="amb", groups=[settings.AMBASSADORS_GROUP])
    profile = AmbassadorFactory(user=volunteer, languages=["es"], countries=["MX"])
    record = make_record(volunteer, ["ambassador"])
    assert settings.AMBASSADORS_GROUP in group_names(volunteer)
    records.end_volunteer(volunteer, by=None, reason="removed under the code of conduct")
    records.end_volunteer(volunteer, by=None, reason="removed under the code of conduct")
    record.refresh_from_db()
    profile.refresh_from_db()
    assert record.status == VolunteerRecord.Status.RESIGNED
    assert profile.resigned_on is not None
    assert not any(name.startswith(settings.AMBASSADORS_GROUP) for name in group_names(volunteer))
    assert (
        ModelLogEntry.objects.filter(object_id=str(record.pk), action="volunteers.change").count()
        == 1
    )
    # Saving the profile again does not give the groups back.
    profile.save()
    assert group_names(volunteer) == set()


def test_directors_see_who_is_due_in_the_next_60_days(client, director):
    today = timezone.localdate()
    soon = make_record(
        UserFactory(username="soon-sam"),
        ["content_officer"],
        term_ends_on=today + timedelta(days=50),
    )
    make_record(
        UserFactory(username="later-lee"),
        ["content_officer"],
        term_ends_on=today + timedelta(days=90),
    )
    client.force_login(director)
    listing = client.get("/admin/snippets/volunteers/volunteerrecord/?due=soon").content.decode()
    assert str(soon) in listing and "later-lee" not in listing.lower()
    dashboard = client.get("/admin/").content.decode()
    assert "Volunteers due to recommit in the next 60 days" in dashboard
    assert str(soon) in dashboard


def test_only_directors_open_the_records_and_interest(client):
    officer = UserFactory(username="cora", groups=[settings.CONTENT_OFFICERS_GROUP])
    client.force_login(officer)
    for url in (
        "/admin/snippets/volunteers/volunteerrecord/",
        "/admin/snippets/volunteers/expressionofinterest/",
        "/admin/snippets/choose/volunteers/expressionofinterest/",
    ):
        assert client.get(url).status_code in (302, 403), url


def test_the_person_of_a_saved_record_cannot_be_changed(client, director):
    volunteer = UserFactory(username="cora", groups=[])
    other = UserFactory(username="otto", groups=[])
    record = make_record(volunteer, ["content_officer"])
    client.force_login(director)
    url = f"/admin/snippets/volunteers/volunteerrecord/edit/{record.pk}/"
    response = client.post(url, edit_form(record, user=other.pk))
    assert response.status_code == 302, errors_of(response)
    record.refresh_from_db()
    assert record.user == volunteer
    assert settings.CONTENT_OFFICERS_GROUP in group_names(volunteer)
    assert group_names(other) == set()


def test_deleting_a_record_takes_its_groups_first(client):
    superuser = UserFactory(username="sue", is_superuser=True, groups=[])
    volunteer = UserFactory(username="cora", groups=[])
    record = make_record(volunteer, ["content_officer"])
    assert settings.CONTENT_OFFICERS_GROUP in group_names(volunteer)
    client.force_login(superuser)
    response = client.post(f"/admin/snippets/volunteers/volunteerrecord/delete/{record.pk}/")
    assert response.status_code == 302
    assert not VolunteerRecord.objects.filter(pk=record.pk).exists()
    assert group_names(volunteer) == set()


def test_a_user_given_a_group_on_the_users_screen_gets_a_record_and_accepts_first(client):
    from django.contrib.auth.models import Group

    superuser = UserFactory(username="sue", is_superuser=True, groups=[])
    person = UserFactory(username="olly", groups=[])
    officers = Group.objects.get(name=settings.CONTENT_OFFICERS_GROUP)
    client.force_login(superuser)
    response = client.post(
        f"/admin/users/edit/{person.pk}/",
        {
            "username": person.username,
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "is_active": "on",
            "groups": [officers.pk],
            "password1": "",
            "password2": "",
        },
    )
    assert response.status_code == 302
    record = VolunteerRecord.objects.get(user=person)
    assert record.roles == ["content_officer"]
    assert ModelLogEntry.objects.filter(action="volunteers.create", user=superuser).exists()

    client.force_login(person)
    held = client.get("/admin/pages/")
    assert held.status_code == 302 and held["Location"].startswith("/admin/volunteers/accept/")


def test_saving_a_profile_does_not_give_back_a_role_a_director_took(client, director):
    from website.factories.ambassadors import AmbassadorFactory

    user = UserFactory(username="amb", email="amb@example.org", groups=[])
    profile = AmbassadorFactory(user=user, languages=["es"], term_starts_on=timezone.localdate())
    record = make_record(user, ["ambassador", "data_officer"])
    assert settings.AMBASSADORS_GROUP in group_names(user)
    client.force_login(director)
    url = f"/admin/snippets/volunteers/volunteerrecord/edit/{record.pk}/"
    response = client.post(url, edit_form(record, roles=["data_officer"]))
    assert response.status_code == 302, errors_of(response)
    assert settings.AMBASSADORS_GROUP not in group_names(user)

    profile.bio = "Changed."
    profile.save()
    assert settings.AMBASSADORS_GROUP not in group_names(user)
    assert settings.DATA_OFFICERS_GROUP in group_names(user)
