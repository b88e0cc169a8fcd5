"""Exactly once across crashes: a driver that takes over a campaign from a dead one marks the
messages that were in flight as in doubt and sends everyone else once; provider events or a
person settle the doubtful ones; a live driver is never doubled."""

from datetime import timedelta

import pytest
from anymail.signals import AnymailTrackingEvent
from django.core import mail
from django.utils import timezone

from campaigns import tracking
from campaigns.models import Campaign
from campaigns.services import sending
from website.factories.campaigns import CampaignFactory
from website.factories.mentoring import ApplicationFactory
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status


@pytest.fixture
def started(django_capture_on_commit_callbacks):
    for n in range(6):
        ApplicationFactory(email=f"p{n}@example.org")
    campaign = CampaignFactory()
    with django_capture_on_commit_callbacks(execute=False):
        sending.start(campaign.pk)
    return campaign


def rows(campaign):
    return sending.messages(campaign).order_by("pk")


def test_takeover_marks_in_flight_messages_in_doubt_and_sends_the_rest(started):
    first, second = rows(started)[:2]
    OutboundEmail.objects.filter(pk__in=[first.pk, second.pk]).update(status=Status.SENDING)
    Campaign.objects.filter(pk=started.pk).update(
        lease_token="dead", lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    everyone = {f"p{n}@example.org" for n in range(6)}
    assert sending.run(started.pk, budget_seconds=None) is None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(everyone - {first.to, second.to})
    statuses = dict(rows(started).values_list("to", "status"))
    assert statuses[first.to] == statuses[second.to] == Status.IN_DOUBT
    # Not "sent" while two people may not have it.
    started.refresh_from_db()
    assert started.status == Campaign.Status.IN_DOUBT
    assert sending.figures(started)["in_doubt"] == 2

    # The provider reports the first as delivered: it was sent; nothing goes again.
    tracking.record_event(
        AnymailTrackingEvent(
            event_type="delivered",
            recipient=first.to,
            metadata={"outbox_id": str(first.pk)},
        )
    )
    first.refresh_from_db()
    assert first.status == Status.SENT
    sending.dispatch()
    started.refresh_from_db()
    assert started.status == Campaign.Status.IN_DOUBT
    # Nobody heard of the second: a person sends it again, once.
    assert sending.resend(started) == 1
    started.refresh_from_db()
    assert started.status == Campaign.Status.SENDING
    assert sending.run(started.pk, budget_seconds=None) is None
    assert [m.to[0] for m in mail.outbox].count(second.to) == 1
    assert [m.to[0] for m in mail.outbox].count(first.to) == 0
    started.refresh_from_db()
    assert started.status == Campaign.Status.SENT


def test_a_live_driver_is_not_doubled(started):
    Campaign.objects.filter(pk=started.pk).update(
        lease_token="alive", lease_expires_at=timezone.now() + timedelta(seconds=60)
    )
    assert sending.run(started.pk, budget_seconds=None) is None
    assert mail.outbox == []
    assert not rows(started).exclude(status=Status.QUEUED).exists()


def test_a_refused_message_is_retried_and_sent_once(started, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    original, calls = EmailBackend.send_messages, {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 3:
            raise ConnectionRefusedError("busy")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    assert sending.run(started.pk, budget_seconds=None) == 30.0
    assert len(mail.outbox) == 2
    assert sending.run(started.pk, budget_seconds=None) is None
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{n}@example.org" for n in range(6)]


def test_stopping_a_campaign_sends_nothing_more(started):
    assert sending.cancel(started) == 6
    assert sending.run(started.pk, budget_seconds=None) is None
    assert mail.outbox == []


def test_dispatch_resumes_a_campaign_whose_driver_died(started, django_capture_on_commit_callbacks):
    Campaign.objects.filter(pk=started.pk).update(
        lease_token="dead", lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        sending.dispatch()
    assert len(mail.outbox) == 6


class SpentBudget:
    """The bulk policy with the day's budget spent: every message must wait hours."""

    def __init__(self, policy) -> None:
        self.policy = policy

    def __getattr__(self, name):
        return getattr(self.policy, name)

    def wait(self) -> float:
        return 5 * 3600.0


def test_waiting_for_the_daily_budget_is_a_scheduled_check_not_a_queued_task(
    started, monkeypatch, django_capture_on_commit_callbacks
):
    from campaigns.tasks import send_campaign
    from website import outbox

    monkeypatch.setattr(outbox, "_bulk_policy", SpentBudget(outbox.bulk_policy()))
    published = []
    monkeypatch.setattr(send_campaign, "apply_async", lambda *a, **k: published.append(k))
    assert sending.run(started.pk, budget_seconds=None) == 5 * 3600.0
    assert mail.outbox == [] and published == []
    started.refresh_from_db()
    wait = (started.resume_at - timezone.now()).total_seconds()
    assert 5 * 3600 - 60 < wait <= 5 * 3600
    assert not started.lease_token and started.status == Campaign.Status.SENDING

    # Beat's dispatcher leaves it until then, and then hands it to a driver.
    with django_capture_on_commit_callbacks(execute=True):
        sending.dispatch()
    assert published == []
    Campaign.objects.filter(pk=started.pk).update(resume_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        sending.dispatch()
    assert published == [{}]


def test_a_driver_that_spent_its_time_queues_the_next_at_once(started, monkeypatch):
    from campaigns.tasks import send_campaign

    published = []
    monkeypatch.setattr(send_campaign, "apply_async", lambda *a, **k: published.append(k))
    assert sending.run(started.pk, budget_seconds=-1) == 0.0
    assert mail.outbox == []
    started.refresh_from_db()
    assert started.resume_at is None and not started.lease_token
