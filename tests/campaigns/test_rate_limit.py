"""The global sending rate: at most N bulk messages in any second and M a day, across
workers (Redis), or within the process without Redis; transactional mail never waits."""

import json
import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.conf import settings
from django.core import mail

from campaigns import ratelimit
from campaigns.ratelimit import LocalLimiter, RedisLimiter
from tests.conftest import require_or_skip
from website.outbox import queue_email

REDIS_URL = "redis://127.0.0.1:6379/0"

WORKER = """
import json, sys, time
from campaigns.ratelimit import RedisLimiter
url, prefix, count, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
limiter = RedisLimiter(url, per_second=20, per_day=0, prefix=prefix)
while time.time() < start:
    time.sleep(0.001)
granted = []
while len(granted) < count:
    wait = limiter.acquire()
    if wait:
        time.sleep(wait)
        continue
    granted.append(time.time())
print(json.dumps(granted))
"""


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


def test_local_limiter_holds_the_rate_per_second_and_per_day():
    limiter = LocalLimiter(per_second=5, per_day=0)
    assert [limiter.acquire() for _ in range(5)] == [0.0] * 5
    assert 0 < limiter.acquire() <= 1
    daily = LocalLimiter(per_second=0, per_day=3)
    assert [daily.acquire() for _ in range(3)] == [0.0] * 3
    assert daily.acquire() > 1


@pytest.mark.services
def test_across_two_workers_the_per_second_limit_holds(redis_url):
    prefix = f"test-rate-{uuid.uuid4().hex}"
    start = time.time() + 1.5
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, redis_url, prefix, "40", str(start)],
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    granted = []
    for process in processes:
        out, _err = process.communicate(timeout=60)
        assert process.returncode == 0
        granted += json.loads(out)
    assert len(granted) == 80
    assert most_in_any_window(granted, 0.95) <= 20
    assert max(granted) - min(granted) >= 3.0


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
