"""The campaign page in the admin: the count before sending, preview, test, send and
schedule, the figures after; only the roles with the permission can send."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from website.factories.campaigns import CampaignFactory, SuppressionFactory
from website.factories.images import IllustrationFactory
from website.factories.mentoring import ApplicationFactory
from website.factories.website import UserFactory

pytestmark = pytest.mark.django_db

URL = "wagtailsnippets_campaigns_campaign:{}"


def url(name, campaign):
    return reverse(URL.format(name), args=[campaign.pk])


@pytest.fixture
def director(client):
    user = UserFactory(username="director", groups=[settings.DIRECTORS_GROUP])
    client.force_login(user)
    return user


@pytest.fixture
def campaign():
    for n in range(3):
        ApplicationFactory(email=f"person{n}@example.org", country="NZ")
    SuppressionFactory(email_normalised="person2@example.org")
    return CampaignFactory(subject="Round news", countries=["NZ"])


def test_campaign_page_shows_the_count_before_sending(client, director, campaign):
    response = client.get(url("inspect", campaign))
    assert response.status_code == 200
    assert 'data-recipient-count="2"' in response.content.decode()
    assert "Send now to 2 recipients" in response.content.decode()


def test_preview_has_alt_text_and_needs_no_remote_image(client, director, campaign):
    image = IllustrationFactory(title="Reading room")
    campaign.body = [
        ("text", "<p>Hello</p>"),
        ("image", {"image": image, "alt": "A reading room full of light", "caption": ""}),
        (
            "video",
            {
                "url": "https://video.example.org/v/1",
                "title": "Meet your partner",
                "thumbnail": image,
                "alt": "Two librarians talking",
            },
        ),
    ]
    campaign.save()
    html = client.get(url("preview_email", campaign)).content.decode()
    assert 'alt="A reading room full of light"' in html
    assert '<a href="https://video.example.org/v/1"><img' in html
    assert "<iframe" not in html and "<video" not in html
    text = client.get(url("preview_text", campaign)).content.decode()
    assert "[A reading room full of light]" in text
    assert "Meet your partner: https://video.example.org/v/1" in text


def test_test_send_then_send_now(client, director, campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("test", campaign), {"to": "me@example.org"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["me@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("send", campaign), {"confirm": "1"})
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
    assert len(mail.outbox) == 3
    page = client.get(url("inspect", campaign)).content.decode()
    assert 'data-figure="sent">2<' in page
    response = client.get(url("edit", campaign))
    assert response.status_code == 302


def test_schedule_refuses_the_past_and_accepts_the_future(client, director, campaign):
    past = (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(url("schedule", campaign), {"when": past})
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    future = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(url("schedule", campaign), {"when": future, "confirm": "1"})
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED
    client.post(url("schedule", campaign), {"when": "not a date"})
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED


def test_scheduled_campaign_goes_when_due(campaign, django_capture_on_commit_callbacks):
    from campaigns.services import sending

    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SCHEDULED, scheduled_at=timezone.now() - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.dispatch() == [campaign.pk]
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "group", [settings.CONTENT_OFFICERS_GROUP, settings.SOCIAL_COORDINATORS_GROUP]
)
def test_other_roles_cannot_send(client, campaign, group):
    client.force_login(UserFactory(username="someone", groups=[group]))
    assert client.post(url("send", campaign), {"confirm": "1"}).status_code in {302, 403}
    assert client.get(url("inspect", campaign)).status_code in {302, 403}
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_communications_officer_can_send(client, campaign, django_capture_on_commit_callbacks):
    officer = UserFactory(username="comms", groups=[settings.COMMUNICATIONS_OFFICERS_GROUP])
    client.force_login(officer)
    assert client.get(reverse(URL.format("list"))).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("send", campaign), {"confirm": "1"})
    assert len(mail.outbox) == 2


def test_an_empty_audience_is_refused(client, director, django_capture_on_commit_callbacks):
    campaign = CampaignFactory(countries=["FJ"])
    page = client.get(url("inspect", campaign)).content.decode()
    assert 'data-recipient-count="0"' in page and "Send now" not in page
    client.post(url("send", campaign), {"confirm": "1"})
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SCHEDULED, scheduled_at=timezone.now() - timedelta(minutes=1)
    )
    from campaigns.services import sending

    assert sending.dispatch() == []
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
