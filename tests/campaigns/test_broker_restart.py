"""Workers survive their broker: a Redis of the test's own is restarted, then kept away for a
minute, under a running Celery worker, which reconnects each time and goes on with its work
(no "Unrecoverable error", no exit)."""

import os
import time
import uuid

import pytest
import redis
from django.conf import settings
from kombu.exceptions import OperationalError

from campaigns.benchmark import RedisServer
from tests.campaigns.celery_workers import celery_workers, wait_until_ready
from tests.conftest import require_or_skip, use_broker
from website.celery_app import app as celery_app

pytestmark = pytest.mark.services

UNREACHABLE_FOR = 60.0


@pytest.fixture
def private_redis(tmp_path):
    if not RedisServer.available():
        require_or_skip(settings.REQUIRE_SERVICES, "redis-server is not installed")
    with RedisServer(tmp_path) as server:
        yield server


def wait_for_ping(worker, url: str, timeout: float) -> None:
    """Until the worker answers again; the test's own connections to the old server are
    dropped and made anew on each try."""
    deadline = time.monotonic() + timeout
    while True:
        use_broker(url, eager=False)
        try:
            wait_until_ready([worker], timeout=5)
            return
        except (TimeoutError, OSError, redis.RedisError, OperationalError):
            if time.monotonic() > deadline:
                pytest.fail(f"the worker did not answer within {timeout} s:\n{worker.log()}")
            time.sleep(0.5)


def wait_for_reconnection(worker, timeout: float) -> None:
    """Until the worker logs that it is connected again (it retries with a growing pause)."""
    before = worker.log().count("Connected to redis")
    deadline = time.monotonic() + timeout
    while worker.log().count("Connected to redis") == before:
        assert worker.process.poll() is None, f"the worker exited:\n{worker.log()}"
        if time.monotonic() > deadline:
            pytest.fail(f"the worker did not reconnect within {timeout} s:\n{worker.log()}")
        time.sleep(0.5)


def run_a_task(worker, timeout: float = 60) -> None:
    """Publish a task that needs nothing but the broker and wait for the worker to log it."""
    marker = uuid.uuid4().hex
    celery_app.send_task("celery.accumulate", args=[marker], queue=worker.queue)
    deadline = time.monotonic() + timeout
    while "celery.accumulate[" not in worker.log() or marker not in _done(worker):
        assert worker.process.poll() is None, f"the worker exited:\n{worker.log()}"
        if time.monotonic() > deadline:
            pytest.fail(f"the task did not run within {timeout} s:\n{worker.log()}")
        time.sleep(0.2)


def _done(worker) -> str:
    return "\n".join(line for line in worker.log().splitlines() if "succeeded" in line)


def test_worker_reconnects_after_redis_restarts_and_after_a_minute_away(private_redis, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.test",
        "CELERY_BROKER_URL": private_redis.url,
    }
    with celery_workers(private_redis.url, env, tmp_path, count=1) as [worker]:
        run_a_task(worker)

        private_redis.restart()
        wait_for_ping(worker, private_redis.url, timeout=60)
        run_a_task(worker)

        private_redis.restart(down_for=UNREACHABLE_FOR)
        wait_for_reconnection(worker, timeout=60)
        use_broker(private_redis.url, eager=False)
        run_a_task(worker)

        assert worker.process.poll() is None
        assert "Unrecoverable error" not in worker.log()
