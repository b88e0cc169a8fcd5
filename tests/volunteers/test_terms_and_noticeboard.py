"""Every role's term: the recommit-or-resign email once, a month before the end, and its
signed link (here for a data officer, not an ambassador). The noticeboard: announcements,
read receipts (directors see who read), and the optional weekly digest, sent once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from ambassadors.models import one_term_after
from volunteers.models import ReadReceipt, VolunteerRecord
from volunteers.services import agreements, noticeboard, terms
from volunteers.tasks import send_noticeboard_digests, send_term_reminders
from website.factories.volunteers import AnnouncementFactory, make_record
from website.factories.website import UserFactory
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_officer():
    user = UserFactory(username="dana", email="dana@example.org", groups=[])
    today = timezone.localdate()
    make_record(
        user,
        ["data_officer"],
        started_on=today - timedelta(days=345),
        term_ends_on=today + timedelta(days=20),
    )
    return user


def test_a_data_officer_gets_one_reminder_and_recommits_by_the_link(client, data_officer):
    assert send_term_reminders.delay().get() == 1
    assert send_term_reminders.delay().get() == 1
    email = OutboundEmail.objects.get(template="volunteer_recommit")
    assert email.to == "dana@example.org"
    path = email.context["link"].removeprefix(settings.BASE_URL)
    assert path.startswith("/volunteer-term/")

    page = client.get(path)
    assert page.status_code == 200 and 'value="recommit"' in page.content.decode()
    record = VolunteerRecord.objects.get(user=data_officer)
    old_end = record.term_ends_on
    response = client.post(path, {"choice": "recommit"})
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.term_ends_on == one_term_after(old_end + timedelta(days=1))
    assert record.recommitted_at is not None
    assert client.post(path, {"choice": "resign"}).status_code == 400  # spent


def test_resigning_by_the_link_ends_the_groups(client, data_officer):
    record = VolunteerRecord.objects.get(user=data_officer)
    path = f"/volunteer-term/{terms.make_token(record)}/"
    assert client.post(path, {"choice": "resign"}).status_code == 200
    record.refresh_from_db()
    assert record.status == VolunteerRecord.Status.RESIGNED
    assert not data_officer.groups.exists()
    assert client.get("/volunteer-term/not-a-token/").status_code == 400


def test_a_lapsed_term_loses_its_groups(data_officer):
    VolunteerRecord.objects.filter(user=data_officer).update(
        term_ends_on=timezone.localdate() - timedelta(days=1)
    )
    send_term_reminders.delay()
    assert not data_officer.groups.exists()


def test_read_receipts_and_what_directors_see(client, data_officer):
    agreements.accept(data_officer, agreements.pending_for(data_officer))
    item = AnnouncementFactory(title="Round 8 opens")
    client.force_login(data_officer)
    board = client.get("/admin/volunteers/noticeboard/").content.decode()
    assert "New:" in board and "Round 8 opens" in board
    page = client.get(f"/admin/volunteers/noticeboard/{item.pk}/").content.decode()
    assert "Read by" not in page
    client.get(f"/admin/volunteers/noticeboard/{item.pk}/")
    assert ReadReceipt.objects.filter(announcement=item).count() == 1
    assert "New:" not in client.get("/admin/volunteers/noticeboard/").content.decode()

    director = UserFactory(username="dora", groups=[settings.DIRECTORS_GROUP])
    client.force_login(director)
    assert "1 volunteer" in client.get("/admin/volunteers/noticeboard/").content.decode()
    page = client.get(f"/admin/volunteers/noticeboard/{item.pk}/").content.decode()
    assert "Read by 2 volunteers" in page and data_officer.get_full_name() in page


def test_the_digest_is_a_choice_and_goes_once_a_week(client, data_officer):
    agreements.accept(data_officer, agreements.pending_for(data_officer))
    AnnouncementFactory(title="Round 8 opens", published_at=timezone.now() - timedelta(days=1))
    assert send_noticeboard_digests.delay().get() == 0  # not asked for
    client.force_login(data_officer)
    client.post("/admin/volunteers/noticeboard/", {"email_digest": "on"})
    assert VolunteerRecord.objects.get(user=data_officer).email_digest

    assert send_noticeboard_digests.delay().get() == 1
    assert send_noticeboard_digests.delay().get() == 0
    AnnouncementFactory(title="Later the same week")
    assert noticeboard.send_digests() == 0  # this week's digest has gone
    digest = OutboundEmail.objects.get(template="volunteer_digest")
    assert [a["title"] for a in digest.context["announcements"]] == ["Round 8 opens"]

    next_week = timezone.now() + timedelta(days=7)
    assert noticeboard.send_digests(next_week) == 1
    latest = OutboundEmail.objects.filter(template="volunteer_digest").order_by("-pk").first()
    assert [a["title"] for a in latest.context["announcements"]] == ["Later the same week"]


def test_an_ambassador_keeps_one_term_and_one_email(client):
    from ambassadors.services import terms as ambassador_terms
    from website.factories.ambassadors import AmbassadorFactory

    user = UserFactory(username="amb", email="amb@example.org", groups=[])
    today = timezone.localdate()
    profile = AmbassadorFactory(
        user=user, languages=["es"], countries=["MX"], term_starts_on=today - timedelta(days=350)
    )
    record = make_record(user, ["ambassador"], term_ends_on=profile.term_ends_on)
    assert terms.send_reminders() == 0  # the ambassadors' own email goes instead
    assert ambassador_terms.send_reminders() == 1
    ambassador_terms.recommit(profile)
    profile.refresh_from_db()
    record.refresh_from_db()
    assert record.term_ends_on == profile.term_ends_on > today + timedelta(days=300)
    ambassador_terms.resign(profile)
    record.refresh_from_db()
    assert record.status == VolunteerRecord.Status.RESIGNED
    assert not user.groups.exists()


def test_the_same_link_sent_twice_at_once_extends_the_term_once(data_officer):
    """Both requests read the link before either recommits: the second is told it is spent."""
    record = VolunteerRecord.objects.get(user=data_officer)
    old_end = record.term_ends_on
    token = terms.make_token(record)
    first, second = terms.read_token(token), terms.read_token(token)
    terms.recommit(first)
    with pytest.raises(terms.TermLinkError) as error:
        terms.recommit(second)
    assert error.value.reason == "settled"
    record.refresh_from_db()
    assert record.term_ends_on == one_term_after(old_end + timedelta(days=1))


def test_an_ambassadors_link_sent_twice_at_once_extends_the_term_once():
    from ambassadors.models import Ambassador
    from ambassadors.services import terms as ambassador_terms
    from website.factories.ambassadors import AmbassadorFactory

    profile = AmbassadorFactory(term_starts_on=timezone.localdate() - timedelta(days=350))
    old_end = profile.term_ends_on
    token = ambassador_terms.make_token(profile)
    first, second = ambassador_terms.read_token(token), ambassador_terms.read_token(token)
    ambassador_terms.recommit(first)
    with pytest.raises(ambassador_terms.TermLinkError):
        ambassador_terms.recommit(second)
    assert Ambassador.objects.get(pk=profile.pk).term_ends_on == one_term_after(
        old_end + timedelta(days=1)
    )
