"""A 500-recipient campaign into a local SMTP sink, sent by a real Celery worker on a Redis
of the test's own, the worker killed (SIGKILL) three times mid-send and started again at
once; beat's dispatcher runs as beat would. Sending resumes within 30 s of each kill (the
lease lapses, the dispatcher hands the campaign on). The campaign does not read "sent" while
messages are in doubt; the sink plays the provider whose events settle them (what it
received was sent) and what it never received is sent again: every recipient gets the
message exactly once.

The worker and the test share the database: PostgreSQL (DATABASE_URL); on SQLite the test
is skipped (several processes writing one SQLite file is not what production does)."""

import os

import pytest
from django.conf import settings
from django.db import connection

from campaigns.benchmark import CrashRig, RedisServer, make_audience, send_through_kills
from campaigns.models import Campaign
from campaigns.services import sending
from tests.campaigns.smtp_sink import SmtpSink
from tests.conftest import require_or_skip, use_broker
from tests.website.test_celery_worker import database_url_for_worker
from website.celery_app import app as celery_app

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RECIPIENTS = 500
KILL_AT = (60, 180, 300)
RESUME_WITHIN = 30.0


@pytest.fixture
def services(tmp_path):
    if connection.vendor != "postgresql":
        require_or_skip(
            settings.REQUIRE_SERVICES,
            "the worker and the test write one database at once: run with a PostgreSQL "
            "DATABASE_URL",
        )
    if not RedisServer.available():
        require_or_skip(settings.REQUIRE_SERVICES, "redis-server is not installed")
    eager, url = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    with SmtpSink() as sink, RedisServer(tmp_path) as redis_server:
        use_broker(redis_server.url, eager=False)
        try:
            yield sink, redis_server
        finally:
            use_broker(url, eager=eager)


def environment(sink: SmtpSink, broker_url: str = "") -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.dev",
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": broker_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_RATE_PER_SECOND": "0",
        "EMAIL_RATE_PER_DAY": "0",
        "ANYMAIL_ESP": "",
        "LOG_LEVEL": "WARNING",
    }


def test_worker_killed_three_times_sends_each_message_once(services, tmp_path):
    sink, redis_server = services
    campaign = make_audience(RECIPIENTS)
    expected = {f"reader{n:05d}@example.org" for n in range(RECIPIENTS)}
    env = environment(sink, redis_server.url)
    with CrashRig(campaign.pk, env, tmp_path) as rig:
        # Queued through the broker to the `mail` queue, as the admin's "Send now" does.
        sending.start(campaign.pk)
        report = send_through_kills(
            rig, list(KILL_AT), sink.count, sink.per_recipient, expected, timeout=180
        )
    print("resumed after (s):", ", ".join(f"{s:.1f}" for s in report.resumed_after))
    assert len(report.resumed_after) == len(KILL_AT)
    assert max(report.resumed_after) <= RESUME_WITHIN, report.resumed_after
    if report.in_doubt_before_settling:
        assert report.status_before_settling == Campaign.Status.IN_DOUBT
    else:
        assert report.status_before_settling == Campaign.Status.SENT
    assert (report.duplicates, report.lost, report.in_doubt) == (0, 0, 0)
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT
