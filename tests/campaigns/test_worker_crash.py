"""A 500-recipient campaign into a local SMTP sink, its sender killed (SIGKILL) three times
mid-send and restarted: every recipient gets the message exactly once. Messages caught in
flight by a kill are in doubt; the sink plays the provider whose events settle them (what it
received was sent), and what it never received is sent again.

The sender is a real Celery worker on Redis when Redis is there (always in CI), else a plain
process running the same campaign driver.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from anymail.signals import AnymailTrackingEvent
from django.conf import settings
from django.utils import timezone
from kombu import Connection, Exchange, Queue

from campaigns import tracking
from campaigns.models import Campaign
from campaigns.services import sending
from tests.campaigns.smtp_sink import SmtpSink
from tests.conftest import require_or_skip, use_broker
from tests.website.test_celery_worker import database_url_for_worker
from website.celery_app import app as celery_app
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RECIPIENTS = 500
KILL_AT = (60, 180, 300)
DRIVER = """
import sys, time
import django
django.setup()
from campaigns.services import sending
while (later := sending.run(int(sys.argv[1]), budget_seconds=None)) is not None:
    time.sleep(later)
"""


@pytest.fixture
def sink():
    with SmtpSink() as running:
        yield running


@pytest.fixture
def campaign(monkeypatch):
    from campaigns.benchmark import make_audience
    from campaigns.tasks import send_campaign

    campaign = make_audience(RECIPIENTS)
    # The rows are written; the senders the test starts do the sending.
    monkeypatch.setattr(send_campaign, "delay_on_commit", lambda *args: None)
    sending.start(campaign.pk)
    return campaign


def environment(sink: SmtpSink, broker: str = "") -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.dev",
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": broker,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_RATE_PER_SECOND": "0",
        "EMAIL_RATE_PER_DAY": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONFAULTHANDLER": "1",
    }


def expire_lease(campaign: Campaign) -> None:
    """What the lease's lapse of time would do after a kill, without waiting for it."""
    Campaign.objects.filter(pk=campaign.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )


def wait_for(condition, process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process is not None and process.poll() is not None and not condition():
            pytest.fail(f"the sender exited early:\n{process.stdout.read()}")
        if time.monotonic() > deadline:
            output = ""
            if process is not None:
                process.send_signal(signal.SIGABRT)
                time.sleep(1)
                process.kill()
                output = process.communicate()[0]
            pytest.fail(f"timed out; {sink_count(condition)}\n{output}")
        time.sleep(0.02)


def sink_count(condition) -> str:
    sink = next(
        (
            cell.cell_contents
            for cell in condition.__closure__ or ()
            if isinstance(cell.cell_contents, SmtpSink)
        ),
        None,
    )
    return f"the sink has {sink.count()} messages" if sink else ""


def kill(process) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def settle_and_check(campaign: Campaign, sink: SmtpSink, settings) -> dict:
    """The provider's events for what arrived; a resend for what did not; then the count."""
    received = sink.per_recipient()
    in_doubt = list(sending.messages(campaign).filter(status=OutboundEmail.Status.IN_DOUBT))
    for message in in_doubt:
        if received[message.to]:
            tracking.record_event(
                AnymailTrackingEvent(
                    event_type="delivered",
                    recipient=message.to,
                    metadata={"outbox_id": str(message.pk)},
                )
            )
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", sink.port, False
    resent = sending.resend(campaign)
    sending.run(campaign.pk, budget_seconds=None)
    counts = sink.per_recipient()
    expected = {f"reader{n:05d}@example.org" for n in range(RECIPIENTS)}
    assert set(counts) == expected
    assert set(counts.values()) == {1}, {k: v for k, v in counts.items() if v != 1}
    assert not sending.messages(campaign).exclude(status=OutboundEmail.Status.SENT).exists()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT
    return {"in_doubt": len(in_doubt), "resent": resent}


def redis_broker() -> str:
    import redis

    url = settings.CELERY_BROKER_URL or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return ""
    return url


def test_sender_killed_three_times_sends_each_message_once(campaign, sink, settings):
    broker = redis_broker()
    if broker:
        celery_worker_killed_three_times(campaign, sink, settings, broker)
    else:
        if settings.REQUIRE_SERVICES:
            require_or_skip(True, "no Redis for the Celery worker")
        driver_process_killed_three_times(campaign, sink, settings)


def driver_process_killed_three_times(campaign, sink, settings) -> None:
    env = environment(sink)

    def start():
        return subprocess.Popen(
            [sys.executable, "-c", DRIVER, str(campaign.pk)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    for threshold in KILL_AT:
        process = start()
        wait_for(lambda threshold=threshold: sink.count() >= threshold, process)
        kill(process)
        expire_lease(campaign)
    process = start()
    assert process.wait(timeout=90) == 0, process.stdout.read()
    settle_and_check(campaign, sink, settings)


def celery_worker_killed_three_times(campaign, sink, settings, broker_url: str) -> None:
    from campaigns.tasks import send_campaign

    queue = f"test-{uuid.uuid4().hex}"
    env = environment(sink, broker_url)
    command = [
        sys.executable, "-m", "celery", "-A", "website", "worker", "--pool", "solo",
        "--queues", queue, "--without-gossip", "--without-mingle", "--loglevel", "WARNING",
    ]  # fmt: skip
    eager, url = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    use_broker(broker_url, eager=False)
    # Declared before any worker listens, so that no message is published to a queue that
    # does not exist yet (the Redis transport would drop it).
    with Connection(broker_url) as connection:
        Queue(queue, Exchange(queue, "direct"), routing_key=queue)(
            connection.default_channel
        ).declare()
    process = None
    try:
        for threshold in [*KILL_AT, None]:
            process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            # What beat's dispatcher does for a campaign whose driver is gone.
            send_campaign.apply_async((campaign.pk,), queue=queue)
            if threshold is None:
                break
            wait_for(lambda threshold=threshold: sink.count() >= threshold, process)
            kill(process)
            expire_lease(campaign)
        wait_for(
            lambda: Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT,
            process,
            timeout=90,
        )
    finally:
        use_broker(url, eager=eager)
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    settle_and_check(campaign, sink, settings)
