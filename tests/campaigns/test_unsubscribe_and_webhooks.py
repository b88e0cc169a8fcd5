"""One-click unsubscribe (RFC 8058) and the provider's events: the link in the
List-Unsubscribe header unsubscribes with a bare POST (no cookie, no CSRF token), a GET only
asks; hard bounces and complaints put the address on the suppression list; opens, clicks and
deliveries count on the campaign page."""

import base64
import hashlib
import hmac
import json
import re
import time

import pytest
from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailInboundEvent, AnymailTrackingEvent, inbound, tracking
from django.core import mail
from django.test import Client

from campaigns import segments
from campaigns.models import Delivery, Suppression
from campaigns.services import sending, suppression
from tests.factories.campaigns import CampaignFactory
from tests.factories.mentoring import ApplicationFactory, InterestedPersonFactory

pytestmark = pytest.mark.django_db

SIGNING_KEY = "mailgun-signing-key"
BASIC = "hooks:s3cret"


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    for n in range(3):
        ApplicationFactory(email=f"p{n}@example.org")
    campaign = CampaignFactory()
    with django_capture_on_commit_callbacks(execute=True):
        sending.start(campaign.pk)
    return campaign


def header_url(message) -> str:
    return re.search(r"<(https?://[^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)


def test_one_click_post_without_cookies_unsubscribes_at_once(sent):
    message = mail.outbox[0]
    path = header_url(message).split("://", 1)[1].split("/", 1)[1]
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/{path}",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not client.cookies
    assert Suppression.objects.filter(
        email_normalised=message.to[0], reason=Suppression.Reason.UNSUBSCRIBE
    ).exists()
    assert Delivery.objects.get(email_normalised=message.to[0]).unsubscribed_at is not None
    assert sending.figures(sent)["unsubscribed"] == 1
    assert message.to[0] not in {r.email for r in segments.recipients(CampaignFactory())}


def test_a_get_only_asks(client):
    token = suppression.unsubscribe_token("ana@example.org")
    response = client.get(f"/email/unsubscribe/{token}/")
    assert response.status_code == 200
    assert b"Stop sending program news to ana@example.org?" in response.content
    assert not Suppression.objects.exists()


def test_unsubscribing_leaves_the_interest_list_too(client):
    person = InterestedPersonFactory(email="keen@example.org")
    client.post(f"/email/unsubscribe/{suppression.unsubscribe_token('keen@example.org')}/")
    person.refresh_from_db()
    assert person.unsubscribed_at is not None


def test_a_bad_link_says_so(client):
    response = client.post("/email/unsubscribe/not-a-token/")
    assert response.status_code == 404
    assert b"not valid" in response.content
    assert not Suppression.objects.exists()


def test_mailto_unsubscribe_arrives_as_inbound_mail():
    token = suppression.unsubscribe_token("ben@example.org")
    message = AnymailInboundMessage.construct(
        from_email="someone@example.org",
        to="unsubscribe@example.org",
        subject=f"unsubscribe {token}",
        text="",
    )
    inbound.send(
        sender=object,
        event=AnymailInboundEvent(event_type="inbound", message=message),
        esp_name="Test",
    )
    assert Suppression.objects.filter(email_normalised="ben@example.org").exists()


def mailgun_payload(event: dict) -> dict:
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(
        SIGNING_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": {"timestamp": time.time(), "id": "evt", **event},
    }


def post_mailgun(client, payload: dict, auth: str = BASIC):
    return client.post(
        "/anymail/mailgun/tracking/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(auth.encode()).decode(),
    )


@pytest.fixture
def mailgun(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY, "WEBHOOK_SECRET": BASIC}


def test_signed_hard_bounce_suppresses_the_address(client, mailgun, sent):
    row = sending.messages(sent).first()
    response = post_mailgun(
        client,
        mailgun_payload(
            {
                "event": "failed",
                "severity": "permanent",
                "recipient": row.to,
                "user-variables": {"outbox_id": str(row.pk)},
                "message": {"headers": {"message-id": "abc@mailgun"}},
                "delivery-status": {"message": "mailbox does not exist", "code": 550},
            }
        ),
    )
    assert response.status_code == 200
    entry = Suppression.objects.get(email_normalised=row.to)
    assert entry.reason == Suppression.Reason.BOUNCE
    delivery = Delivery.objects.get(outbound=row)
    assert delivery.bounced_at is not None
    assert delivery.provider_message_id == "<abc@mailgun>"
    assert sending.figures(sent)["bounced"] == 1
    from django.conf import settings as conf
    from django.urls import reverse

    from tests.factories.website import UserFactory

    client.force_login(UserFactory(username="boss", groups=[conf.DIRECTORS_GROUP]))
    page = client.get(
        reverse("wagtailsnippets_campaigns_campaign:inspect", args=[sent.pk])
    ).content.decode()
    assert row.to in page and "mailbox does not exist" in page


def test_soft_bounce_does_not_suppress(client, mailgun, sent):
    row = sending.messages(sent).first()
    post_mailgun(
        client,
        mailgun_payload(
            {
                "event": "failed",
                "severity": "temporary",
                "recipient": row.to,
                "user-variables": {"outbox_id": str(row.pk)},
            }
        ),
    )
    assert not Suppression.objects.exists()


def test_forged_or_unauthenticated_webhooks_change_nothing(client, mailgun, sent):
    row = sending.messages(sent).first()
    payload = mailgun_payload(
        {"event": "complained", "recipient": row.to, "user-variables": {"outbox_id": str(row.pk)}}
    )
    payload["signature"]["signature"] = "0" * 64
    assert post_mailgun(client, payload).status_code == 400
    assert post_mailgun(client, mailgun_payload({"event": "complained"}), "x:y").status_code == 400
    assert not Suppression.objects.exists()


def test_events_make_the_campaign_figures(sent):
    rows = list(sending.messages(sent))
    for kind, row in [
        ("delivered", rows[0]),
        ("delivered", rows[1]),
        ("opened", rows[0]),
        ("opened", rows[0]),
        ("clicked", rows[1]),
        ("complained", rows[2]),
    ]:
        tracking.send(
            sender=object,
            event=AnymailTrackingEvent(
                event_type=kind, recipient=row.to, metadata={"outbox_id": str(row.pk)}
            ),
            esp_name="Test",
        )
    figures = sending.figures(sent)
    assert (figures["delivered"], figures["opened"], figures["clicked"]) == (2, 2, 1)
    assert figures["complained"] == 1
    assert Delivery.objects.get(outbound=rows[0]).opens == 2
    assert Suppression.objects.get(email_normalised=rows[2].to).reason == "complaint"


def test_events_name_transactional_mail_by_provider_id_too(django_capture_on_commit_callbacks):
    from website.outbox import queue_email

    with django_capture_on_commit_callbacks(execute=True):
        row = queue_email(
            "confirm:9", "ana@example.org", "interest_confirm", {"name": "A", "confirm_url": "x"}
        )
    tracking.send(
        sender=object,
        event=AnymailTrackingEvent(
            event_type="bounced",
            recipient="ana@example.org",
            message_id="m-1",
            metadata={"outbox_id": str(row.pk)},
        ),
        esp_name="Test",
    )
    assert Delivery.objects.get(outbound=row).campaign is None
    tracking.send(
        sender=object,
        event=AnymailTrackingEvent(event_type="delivered", recipient="x", message_id="m-1"),
        esp_name="Test",
    )
    assert Delivery.objects.get(outbound=row).delivered_at is not None
