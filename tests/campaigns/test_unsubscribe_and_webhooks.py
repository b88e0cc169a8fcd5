"""One-click unsubscribe (RFC 8058) and the provider's events: the link in the
List-Unsubscribe header unsubscribes with a bare POST (no cookie, no CSRF token), a GET only
asks; hard bounces and complaints put the address on the suppression list; opens, clicks and
deliveries count on the campaign page."""

import base64
import hashlib
import hmac
import json
import os
import re
import time
from unittest import mock

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail, signing
from django.test import Client

from campaigns import segments
from campaigns.models import Delivery, Suppression
from campaigns.services import sending, suppression
from tests.conftest import manage_py
from website.factories.campaigns import CampaignFactory
from website.factories.mentoring import ApplicationFactory, InterestedPersonFactory
from website.models import OutboundEmail

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


def message_to(address: str) -> OutboundEmail:
    return OutboundEmail.objects.create(
        key=f"test:{address}", to=address, template="campaign", bulk=True
    )


def no_store(response) -> bool:
    directives = {d.strip() for d in response.headers.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def test_a_get_only_asks_masks_the_address_and_is_never_cached(client):
    token = suppression.unsubscribe_token(message_to("ana@example.org").pk)
    response = client.get(f"/email/unsubscribe/{token}/")
    assert response.status_code == 200
    assert b"Stop sending program news to a***@example.org?" in response.content
    assert b"ana@example.org" not in response.content
    assert no_store(response)
    assert not Suppression.objects.exists()


def test_the_token_names_the_message_never_the_address(sent):
    message = mail.outbox[0]
    url = header_url(message)
    token = url.rstrip("/").rsplit("/", 1)[1]
    readable = [token, *(base64.urlsafe_b64decode(part + "==") for part in token.split(":"))]
    assert not any(message.to[0].encode() in bytes(str(part), "utf-8") for part in readable)
    mailto = message.extra_headers["List-Unsubscribe"]
    assert message.to[0] not in mailto
    row = OutboundEmail.objects.get(to=message.to[0])
    assert suppression.email_from_token(token) == message.to[0] == row.to
    assert suppression.email_from_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_links_sent_before_still_work_until_they_age_out(client):
    def legacy(address: str, days_ago: int) -> str:
        made = time.time() - days_ago * 86400
        with mock.patch("django.core.signing.time.time", return_value=made):
            return signing.dumps(address, salt="campaigns.unsubscribe", compress=True)

    recent = client.post(f"/email/unsubscribe/{legacy('old@example.org', 30)}/")
    assert recent.status_code == 200 and no_store(recent)
    assert Suppression.objects.filter(email_normalised="old@example.org").exists()
    expired = client.post(f"/email/unsubscribe/{legacy('older@example.org', 200)}/")
    assert expired.status_code == 404 and no_store(expired)
    assert not Suppression.objects.filter(email_normalised="older@example.org").exists()


def test_unsubscribing_leaves_the_interest_list_too(client):
    person = InterestedPersonFactory(email="keen@example.org")
    token = suppression.unsubscribe_token(message_to("keen@example.org").pk)
    client.post(f"/email/unsubscribe/{token}/")
    person.refresh_from_db()
    assert person.unsubscribed_at is not None


def test_a_bad_link_says_so(client):
    response = client.post("/email/unsubscribe/not-a-token/")
    assert response.status_code == 404
    assert b"not valid" in response.content
    assert no_store(response)
    assert not Suppression.objects.exists()


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


@pytest.fixture(autouse=True)
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

    from website.factories.website import UserFactory

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


def snapshot() -> list[tuple]:
    """Every row a provider event can change, as stored."""
    return [
        *OutboundEmail.objects.order_by("pk").values_list("pk", "status", "last_error", "sent_at"),
        *Delivery.objects.order_by("pk").values_list(
            "pk", "last_event", "last_event_at", "delivered_at", "bounced_at", "complained_at"
        ),
        *Suppression.objects.order_by("pk").values_list("pk", "email_normalised"),
    ]


def rejected_event(row: OutboundEmail) -> dict:
    return mailgun_payload(
        {
            "event": "rejected",
            "recipient": row.to,
            "user-variables": {"outbox_id": str(row.pk)},
            "reject": {"reason": "the address is on the provider's suppression list"},
        }
    )


def test_forged_events_leave_every_row_as_it_was(client, sent):
    rows = list(sending.messages(sent))
    OutboundEmail.objects.filter(pk=rows[0].pk).update(status=OutboundEmail.Status.IN_DOUBT)
    before = snapshot()
    for row in rows:
        for event in ("failed", "complained", "delivered", "unsubscribed"):
            payload = mailgun_payload(
                {"event": event, "recipient": row.to, "user-variables": {"outbox_id": str(row.pk)}}
            )
            payload["signature"]["signature"] = "f" * 64
            assert post_mailgun(client, payload).status_code == 400
            assert post_mailgun(client, mailgun_payload({"event": event}), "x:y").status_code == 400
    assert snapshot() == before


def test_without_a_webhook_secret_events_are_ignored(client, settings, sent):
    """anymail takes an unauthenticated webhook (with a warning) when no secret is set:
    the handlers then ignore what it says."""
    settings.ANYMAIL = {}
    row = sending.messages(sent).first()
    OutboundEmail.objects.filter(pk=row.pk).update(status=OutboundEmail.Status.IN_DOUBT)
    before = snapshot()
    bounce = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "TypeCode": 1,
        "Email": row.to,
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Metadata": {"outbox_id": str(row.pk)},
        "BouncedAt": "2026-11-01T10:00:00Z",
        "Description": "forged",
    }
    with pytest.warns(Warning):
        response = client.post(
            "/anymail/postmark/tracking/", data=json.dumps(bounce), content_type="application/json"
        )
    assert response.status_code == 200
    assert snapshot() == before


def test_a_sent_message_stays_sent_and_in_doubt_is_never_resent_by_an_event(client, sent):
    rows = list(sending.messages(sent))
    sent_row, doubtful = rows[0], rows[1]
    OutboundEmail.objects.filter(pk=doubtful.pk).update(status=OutboundEmail.Status.IN_DOUBT)
    assert post_mailgun(client, rejected_event(sent_row)).status_code == 200
    assert post_mailgun(client, rejected_event(doubtful)).status_code == 200
    assert OutboundEmail.objects.get(pk=sent_row.pk).status == OutboundEmail.Status.SENT
    settled = OutboundEmail.objects.get(pk=doubtful.pk)
    assert settled.status == OutboundEmail.Status.CANCELLED
    assert "The provider refused it" in settled.last_error
    assert not sending.pending(sent.pk).exists()
    before = len(mail.outbox)
    sending.run(sent.pk, budget_seconds=None)
    assert len(mail.outbox) == before


def test_an_event_that_arrives_late_does_not_take_the_place_of_a_newer_one(client, sent):
    row = sending.messages(sent).first()
    delivered = mailgun_payload(
        {"event": "delivered", "recipient": row.to, "user-variables": {"outbox_id": str(row.pk)}}
    )
    assert post_mailgun(client, delivered).status_code == 200
    accepted = mailgun_payload(
        {"event": "accepted", "recipient": row.to, "user-variables": {"outbox_id": str(row.pk)}}
    )
    accepted["event-data"]["timestamp"] = time.time() - 3600
    assert post_mailgun(client, accepted).status_code == 200
    assert Delivery.objects.get(outbound=row).last_event == "delivered"


def mailgun_inbound(client, subject: str, sender: str, signature: str | None = None):
    timestamp, token = str(int(time.time())), "b" * 50
    good = hmac.new(SIGNING_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    mime = (
        f"From: {sender}\r\nTo: unsubscribe@example.org\r\nSubject: {subject}\r\n"
        "Content-Type: text/plain\r\n\r\n\r\n"
    )
    return client.post(
        "/anymail/mailgun/inbound/",
        {
            "timestamp": timestamp,
            "token": token,
            "signature": signature or good.hexdigest(),
            "body-mime": mime,
            "recipient": "unsubscribe@example.org",
            "sender": sender,
        },
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(BASIC.encode()).decode(),
    )


def test_mailto_unsubscribe_needs_the_providers_signature_and_a_signed_token(client, sent):
    rows = list(sending.messages(sent))
    token = suppression.unsubscribe_token(rows[0].pk)
    forged = mailgun_inbound(client, f"unsubscribe {token}", rows[0].to, signature="0" * 64)
    assert forged.status_code == 400
    from_only = mailgun_inbound(client, "unsubscribe", rows[1].to)
    assert from_only.status_code == 200
    bad_token = mailgun_inbound(client, "unsubscribe not-a-token", rows[1].to)
    assert bad_token.status_code == 200
    assert not Suppression.objects.exists()

    signed = mailgun_inbound(client, f"unsubscribe {token}", "someone-else@example.org")
    assert signed.status_code == 200
    assert list(Suppression.objects.values_list("email_normalised", "reason")) == [
        (rows[0].to, Suppression.Reason.UNSUBSCRIBE)
    ]


def test_production_refuses_a_provider_without_webhook_authentication(settings):
    from campaigns.checks import check_webhook_authentication

    settings.EMAIL_WEBHOOK_AUTH_REQUIRED = True
    settings.ANYMAIL_ESP = "mailgun"
    settings.ANYMAIL = {"WEBHOOK_SECRET": None, "MAILGUN_API_KEY": "key"}
    errors = check_webhook_authentication()
    assert [error.id for error in errors] == ["campaigns.E001"]
    assert errors[0].is_serious()
    assert "ANYMAIL_WEBHOOK_SECRET and ANYMAIL_WEBHOOK_SIGNING_KEY" in errors[0].msg
    settings.ANYMAIL = {"WEBHOOK_SECRET": BASIC, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    assert check_webhook_authentication() == []
    settings.ANYMAIL_ESP = "postmark"
    assert check_webhook_authentication() == []
    settings.ANYMAIL = {"WEBHOOK_SECRET": None}
    assert [error.id for error in check_webhook_authentication()] == ["campaigns.E001"]


def test_check_deploy_fails_with_the_provider_but_no_secret():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ANYMAIL_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="website.settings.production",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="network.example.org",
        FIELD_ENCRYPTION_KEY=signing_key_for_tests(),
        ANYMAIL_ESP="postmark",
        ANYMAIL_API_KEY="token",
    )
    result = manage_py(env, "check", "--deploy")
    assert result.returncode != 0
    assert "campaigns.E001" in result.stderr + result.stdout


def signing_key_for_tests() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()
