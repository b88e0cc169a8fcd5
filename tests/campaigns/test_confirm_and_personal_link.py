"""Nothing is queued before a director confirms with the recipient count ("Send now",
"Send at", "Send again"), and a campaign can link each person to their own personal page."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.rich_text import RichText

from campaigns.models import Campaign
from campaigns.services import sending
from website.factories.campaigns import CampaignFactory
from website.factories.mentoring import ApplicationFactory, InterestedPersonFactory
from website.factories.website import UserFactory
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db


def url(name, campaign):
    return reverse(f"wagtailsnippets_campaigns_campaign:{name}", args=[campaign.pk])


@pytest.fixture
def director(client):
    user = UserFactory(username="director", groups=[settings.DIRECTORS_GROUP])
    client.force_login(user)
    return user


@pytest.fixture
def campaign():
    for n in range(3):
        ApplicationFactory(email=f"person{n}@example.org", name=f"Person {n}", country="NZ")
    return CampaignFactory(subject="Round news", countries=["NZ"])


def personal_body():
    return [
        ("text", RichText("<p>Your page: {personal_link}</p>")),
        ("button", {"label": "Confirm your place", "url": "", "personal_link": True}),
    ]


def test_send_now_asks_first_with_the_count(
    client, director, campaign, django_capture_on_commit_callbacks
):
    response = client.post(url("send", campaign))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Send “Round news” now to 3 recipients?" in page
    assert "Yes, send to 3 recipients" in page
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert not OutboundEmail.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("send", campaign), {"confirm": "1"})
    assert response.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT
    assert sorted(m.to[0] for m in mail.outbox) == [f"person{n}@example.org" for n in range(3)]


def test_send_at_asks_first_with_the_count(client, director, campaign):
    when = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url("schedule", campaign), {"when": when})
    assert response.status_code == 200
    page = response.content.decode()
    assert "to 3 recipients (counted now" in page
    assert f'name="when" value="{when}"' in page
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.DRAFT

    client.post(url("schedule", campaign), {"when": when, "confirm": "1"})
    stored = Campaign.objects.get(pk=campaign.pk)
    assert stored.status == Campaign.Status.SCHEDULED
    assert timezone.localtime(stored.scheduled_at).strftime("%Y-%m-%dT%H:%M") == when


def test_each_person_gets_the_link_to_their_own_page(
    client, director, campaign, django_capture_on_commit_callbacks
):
    campaign.body = personal_body()
    campaign.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("send", campaign), {"confirm": "1"})
    assert len(mail.outbox) == 3
    links = set()
    for message in mail.outbox:
        html = message.alternatives[0][0]
        found = re.findall(r'href="(http://[^"]+/me/[^"]+)"', html)
        assert len(set(found)) == 1, html
        link = found[0]
        assert f"Your page: {link}" in message.body
        assert f"Confirm your place: {link}" in message.body
        links.add(link)
        # The link opens this person's page, nobody else's.
        page = client.get(link.removeprefix(settings.BASE_URL))
        assert page.status_code == 200
        name = message.to[0].split("@")[0].replace("person", "Person ")
        assert name in page.content.decode()
    assert len(links) == 3


def test_a_personal_link_to_people_without_a_page_is_refused(
    client, director, django_capture_on_commit_callbacks
):
    InterestedPersonFactory(email="curious@example.org", country="NZ")
    campaign = CampaignFactory(
        audience=Campaign.Audience.INTEREST_LIST, countries=["NZ"], body=personal_body()
    )
    problem = "1 recipient has none (only applicants have one)"
    assert problem in client.get(url("inspect", campaign)).content.decode()
    confirm = client.post(url("send", campaign)).content.decode()
    assert problem in confirm and "data-confirm-button" not in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("send", campaign), {"confirm": "1"}, follow=True)
    assert problem in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.DRAFT
    assert not OutboundEmail.objects.exists() and mail.outbox == []


def test_a_button_needs_an_address_or_the_personal_link():
    from wagtail.blocks.struct_block import StructBlockValidationError

    from campaigns.blocks import EmailButtonBlock

    block = EmailButtonBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"label": "Go", "url": "", "personal_link": False}))
    block.clean(block.to_python({"label": "Go", "url": "", "personal_link": True}))


def test_sending_again_names_the_risk_first(
    client, director, campaign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        sending.start(campaign.pk)
    first = sending.messages(campaign).order_by("pk").first()
    OutboundEmail.objects.filter(pk=first.pk).update(status=OutboundEmail.Status.SENDING)
    Campaign.objects.filter(pk=campaign.pk).update(
        lease_token="dead", lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    sending.run(campaign.pk, budget_seconds=None)
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.IN_DOUBT
    inspect = client.get(url("inspect", campaign)).content.decode()
    assert "Sent, some in doubt" in inspect and first.to in inspect

    confirm = client.post(url("resend", campaign), {"message": [first.pk]}).content.decode()
    assert "will receive it twice" in confirm
    assert OutboundEmail.objects.get(pk=first.pk).status == OutboundEmail.Status.IN_DOUBT
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("resend", campaign), {"message": [first.pk], "confirm": "1"})
    assert [m.to[0] for m in mail.outbox].count(first.to) == 1
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT


def test_marking_the_doubtful_as_sent_completes_the_campaign(client, director, campaign):
    sending.start(campaign.pk)
    first = sending.messages(campaign).order_by("pk").first()
    sending.messages(campaign).update(status=OutboundEmail.Status.SENT)
    OutboundEmail.objects.filter(pk=first.pk).update(status=OutboundEmail.Status.IN_DOUBT)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.IN_DOUBT)
    client.post(url("mark_sent", campaign), {"message": [first.pk]})
    assert OutboundEmail.objects.get(pk=first.pk).status == OutboundEmail.Status.SENT
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT


def test_the_edit_form_refuses_a_personal_link_for_the_interest_list(client, director):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    campaign = CampaignFactory(subject="Round news")
    data = nested_form_data(
        {
            "name": campaign.name,
            "subject": "Round news",
            "body": streamfield(
                [
                    ("text", rich_text("<p>Hello</p>")),
                    ("button", {"label": "Your page", "url": "", "personal_link": "on"}),
                ]
            ),
            "audience": Campaign.Audience.INTEREST_LIST,
        }
    )
    response = client.post(url("edit", campaign), data)
    assert response.status_code == 200
    assert "People on the interest list have no personal page" in response.content.decode()
    data["audience"] = Campaign.Audience.APPLICANTS
    response = client.post(url("edit", campaign), data)
    assert response.status_code == 302
    stored = Campaign.objects.get(pk=campaign.pk)
    assert stored.body[1].value["personal_link"] is True
