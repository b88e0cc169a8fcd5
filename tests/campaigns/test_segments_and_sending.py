"""Campaigns go to their segment, once per address, never to suppressed addresses; the
campaign's count is the number of messages it sends; a test send is marked as a test."""

import pytest
from django.core import mail

from campaigns import segments
from campaigns.models import Campaign, Delivery
from campaigns.services import sending
from mentoring.models import Application
from website.factories.campaigns import CampaignFactory, SuppressionFactory
from website.factories.mentoring import ApplicationFactory, InterestedPersonFactory, RoundFactory
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    first, second = RoundFactory(name="Round 7"), RoundFactory(name="Round 8")
    return {
        "au": ApplicationFactory(round=first, country="AU", email="ana@example.org"),
        "nz": ApplicationFactory(
            round=first, country="NZ", email="ben@example.org", languages=["es", "fr"]
        ),
        "matched": ApplicationFactory(
            round=second, country="NZ", email="cy@example.org", status=Application.Status.MATCHED
        ),
        "again": ApplicationFactory(round=second, country="AU", email="Ana+x@example.org"),
        "unverified": ApplicationFactory(
            round=second, email="dee@example.org", status=Application.Status.UNVERIFIED
        ),
        "first": first,
        "second": second,
    }


def emails(campaign):
    return sorted(r.email_normalised for r in segments.recipients(campaign))


def test_segments_by_round_status_country_and_language(people):
    everyone = CampaignFactory()
    assert emails(everyone) == ["ana@example.org", "ben@example.org", "cy@example.org"]
    assert emails(CampaignFactory(rounds=[people["first"]])) == [
        "ana@example.org",
        "ben@example.org",
    ]
    assert emails(CampaignFactory(statuses=[Application.Status.MATCHED])) == ["cy@example.org"]
    assert emails(CampaignFactory(countries=["NZ"])) == ["ben@example.org", "cy@example.org"]
    assert emails(CampaignFactory(languages=["fr"])) == ["ben@example.org"]


def test_interest_list_segment_leaves_out_unconfirmed_and_unsubscribed():
    InterestedPersonFactory(email="keen@example.org", country="IN")
    InterestedPersonFactory(email="later@example.org", confirmed_at=None)
    InterestedPersonFactory(email="gone@example.org", unsubscribed_at="2026-01-01T00:00Z")
    campaign = CampaignFactory(audience=Campaign.Audience.INTEREST_LIST)
    assert emails(campaign) == ["keen@example.org"]
    assert emails(CampaignFactory(audience=Campaign.Audience.INTEREST_LIST, countries=["AU"])) == []


def test_count_leaves_out_suppressed_addresses(people):
    SuppressionFactory(email_normalised="ben@example.org")
    count = segments.count(CampaignFactory())
    assert (count.recipients, count.suppressed) == (2, 1)


def test_send_now_sends_one_message_per_recipient_with_unsubscribe_headers(
    people, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory(subject="Round 9 is open")
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.start(campaign.pk)
        assert not sending.start(campaign.pk)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
    assert campaign.recipient_count == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "Ana+x@example.org",
        "ben@example.org",
        "cy@example.org",
    ]
    message = mail.outbox[0]
    assert message.subject == "Round 9 is open"
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "mailto:" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Applications for the new round are open." in message.body
    assert "Apply now: https://network.example.org/apply/" in message.body
    html = message.alternatives[0][0]
    assert "Apply now" in html and "Unsubscribe" in html
    assert Delivery.objects.filter(campaign=campaign).count() == 3
    assert sending.figures(campaign)["sent"] == 3


def test_an_address_suppressed_after_the_start_gets_nothing(
    people, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sending.start(campaign.pk)
    SuppressionFactory(email_normalised="cy@example.org")
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["Ana+x@example.org", "ben@example.org"]
    assert OutboundEmail.objects.get(to="cy@example.org").status == OutboundEmail.Status.CANCELLED


def test_test_send_goes_to_the_given_address_only(people, django_capture_on_commit_callbacks):
    campaign = CampaignFactory(subject="Hello")
    with django_capture_on_commit_callbacks(execute=True):
        sending.send_test(campaign, "director@example.org")
    assert [m.to for m in mail.outbox] == [["director@example.org"]]
    assert mail.outbox[0].subject == "[Test] Hello"
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_transactional_mail_reaches_a_suppressed_address_and_bulk_mail_does_not(
    django_capture_on_commit_callbacks,
):
    from website.outbox import queue_email

    SuppressionFactory(email_normalised="ana@example.org")
    context = {"name": "Ana", "confirm_url": "https://x.example/c/"}
    with django_capture_on_commit_callbacks(execute=True):
        queue_email("confirm:1", "ana@example.org", "interest_confirm", context)
        queue_email("news:1", "ana@example.org", "interest_confirm", context, bulk=True)
    assert len(mail.outbox) == 1
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers
    assert OutboundEmail.objects.get(key="news:1").status == OutboundEmail.Status.CANCELLED
