"""The demo's volunteers: a position description for every role, a record for each demo
account (some terms due within 60 days), acceptances so the demo sign-ins reach the
dashboard, announcements; and it can be loaded again without duplicating anything."""

import io

import pytest
from django.core.management import call_command

from volunteers.models import Announcement, PositionPage, VolunteerRecord
from volunteers.roles import Role
from volunteers.services import agreements
from website.demo import DEMO_VOLUNTEERS
from website.models import User

pytestmark = pytest.mark.django_db


def test_demo_volunteers(settings, client):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=io.StringIO())
    call_command("load_demo_data", stdout=io.StringIO())
    settings.DEBUG = False
    assert sorted(PositionPage.objects.values_list("role", flat=True)) == sorted(Role.values)
    assert Announcement.objects.count() == 2
    assert VolunteerRecord.objects.due_within(60).count() >= 2
    for username, group in DEMO_VOLUNTEERS:
        user = User.objects.get(username=username)
        assert VolunteerRecord.objects.filter(user=user).exists(), username
        assert agreements.pending_for(user) == [], username
        assert user.groups.filter(name=group).exists(), username
    client.force_login(User.objects.get(username="director"))
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "Your job here" in dashboard.content.decode()
    assert client.get("/volunteer/").status_code == 200
