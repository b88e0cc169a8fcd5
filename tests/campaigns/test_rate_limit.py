"""The global sending rate: at most N bulk messages in any second and M a day, across
workers (Redis), or within the process without Redis; transactional mail never waits."""

import time
import uuid
from collections import Counter

import pytest
import redis
from django.conf import settings
from django.core import mail

from campaigns import ratelimit
from campaigns.models import Campaign
from campaigns.ratelimit import LocalLimiter, RedisLimiter
from campaigns.services import sending
from tests.campaigns.celery_workers import Worker, celery_workers
from tests.campaigns.smtp_sink import SmtpSink
from tests.campaigns.test_worker_crash import environment
from tests.conftest import require_or_skip
from website.outbox import queue_email

REDIS_URL = "redis://127.0.0.1:6379/0"
RATE = 10
PER_CAMPAIGN = 30
# A message reaches the sink a little after the limiter granted its slot (the worker claims
# the row, renders the message, speaks SMTP): a few milliseconds, more for a worker's first
# message or on a busy machine. Grants are never more than RATE in a second; arrivals are
# counted in windows of 1 - LAG seconds, so that this lag may vary by up to LAG without a
# false alarm, while a limit per worker (about 2 x RATE in any such window) fails.
LAG = 0.2


@pytest.fixture
def redis_url() -> str:
    url = settings.EMAIL_RATE_REDIS_URL or REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        require_or_skip(settings.REQUIRE_SERVICES, f"no Redis at {url}: {error}")
    return url


def most_in_any_window(times: list[float], width: float) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= width:
            start += 1
        best = max(best, end - start + 1)
    return best


def wait_until_sent(campaigns: list[Campaign], workers: list[Worker], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    pks = [campaign.pk for campaign in campaigns]
    while Campaign.objects.filter(pk__in=pks).exclude(status=Campaign.Status.SENT).exists():
        for worker in workers:
            if worker.process.poll() is not None:
                pytest.fail(f"a worker exited:\n{worker.log()}")
        if time.monotonic() > deadline:
            logs = "\n".join(worker.log() for worker in workers)
            pytest.fail(f"the campaigns were not sent in {timeout} s:\n{logs}")
        time.sleep(0.1)


def test_local_limiter_holds_the_rate_per_second_and_per_day():
    limiter = LocalLimiter(per_second=5, per_day=0)
    assert [limiter.acquire() for _ in range(5)] == [0.0] * 5
    assert 0 < limiter.acquire() <= 1
    daily = LocalLimiter(per_second=0, per_day=3)
    assert [daily.acquire() for _ in range(3)] == [0.0] * 3
    assert daily.acquire() > 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_across_two_workers_the_per_second_limit_holds(
    several_processes_database, redis_url, monkeypatch, tmp_path
):
    """Two campaigns sent at the same time, each by its own Celery worker, into one SMTP sink:
    together they keep to the one limit, and every message arrives once. (PostgreSQL only:
    two workers write to the database at once.)"""
    from campaigns.benchmark import make_audience
    from campaigns.tasks import send_campaign

    first = make_audience(PER_CAMPAIGN)
    second = Campaign.objects.create(name="Second", subject="More round news", body=first.body)
    campaigns = [first, second]
    # The rows are written here; the drivers start below, one on each worker's queue.
    monkeypatch.setattr(sending, "queue_driver", lambda *args, **kwargs: None)
    for campaign in campaigns:
        sending.start(campaign.pk)

    with SmtpSink() as sink:
        env = {**environment(sink, redis_url), "EMAIL_RATE_PER_SECOND": str(RATE)}
        with celery_workers(redis_url, env, tmp_path, count=2) as workers:
            # Each driver on the queue of a worker of its own; a driver that pauses comes back
            # to the same queue.
            tasks = [
                send_campaign.apply_async((campaign.pk,), queue=worker.queue)
                for campaign, worker in zip(campaigns, workers, strict=True)
            ]
            wait_until_sent(campaigns, workers)
        received = sink.messages

    for task, worker, other in zip(tasks, workers, workers[::-1], strict=True):
        assert f"[{task.id}] succeeded" in worker.log()
        assert task.id not in other.log()
    counts = Counter((r.message["Subject"], to) for r in received for to in r.recipients)
    audience = [f"reader{n:05d}@example.org" for n in range(PER_CAMPAIGN)]
    assert set(counts) == {(c.subject, to) for c in campaigns for to in audience}
    assert set(counts.values()) == {1}
    # The two drivers sent at the same time, which one solo worker cannot do.
    by_campaign = [
        [r.arrived_at for r in received if r.message["Subject"] == c.subject] for c in campaigns
    ]
    assert max(min(times) for times in by_campaign) < min(max(times) for times in by_campaign)
    arrivals = sorted(r.arrived_at for r in received)
    assert most_in_any_window(arrivals, 1 - LAG) <= RATE
    # Message n + RATE was granted at least a second after message n.
    assert arrivals[-1] - arrivals[0] >= (len(arrivals) - 1) // RATE - LAG


@pytest.mark.services
def test_daily_budget_is_shared(redis_url):
    prefix = f"test-rate-{uuid.uuid4().hex}"
    first = RedisLimiter(redis_url, per_second=0, per_day=3, prefix=prefix)
    second = RedisLimiter(redis_url, per_second=0, per_day=3, prefix=prefix)
    assert [first.acquire(), second.acquire(), first.acquire()] == [0.0, 0.0, 0.0]
    assert second.acquire() > 1


def test_without_redis_the_limiter_is_local_and_never_fails(settings):
    settings.EMAIL_RATE_PER_SECOND, settings.EMAIL_RATE_PER_DAY = 3, 0
    settings.EMAIL_RATE_REDIS_URL = ""
    assert isinstance(ratelimit.get_limiter(), LocalLimiter)
    settings.EMAIL_RATE_REDIS_URL = "redis://127.0.0.1:1/0"
    limiter = ratelimit.get_limiter()
    assert isinstance(limiter, RedisLimiter)
    assert limiter.acquire() == 0.0  # Redis unreachable: the process's own limit applies
    settings.EMAIL_RATE_PER_SECOND = 0
    assert isinstance(ratelimit.get_limiter(), ratelimit.NoLimit)


@pytest.mark.django_db
def test_bulk_mail_waits_its_turn_and_transactional_mail_does_not(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_RATE_PER_SECOND, settings.EMAIL_RATE_PER_DAY = 4, 0
    settings.EMAIL_RATE_REDIS_URL = ""
    context = {"name": "Ana", "confirm_url": "https://x.example/c/"}
    began = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(8):
            queue_email(f"news:{n}", f"p{n}@example.org", "interest_confirm", context, bulk=True)
    assert len(mail.outbox) == 8
    assert time.monotonic() - began >= 0.9
    began = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(8):
            queue_email(f"confirm:{n}", f"p{n}@example.org", "interest_confirm", context)
    assert time.monotonic() - began < 0.9
    assert len(mail.outbox) == 16
