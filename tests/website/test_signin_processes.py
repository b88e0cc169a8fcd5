"""The lockout holds across the site's processes: failures made in one web process lock the
account in another. Counted in the database without a shared cache, and in Redis with one
(only Redis db 12 is used, and emptied; skipped without Redis unless REQUIRE_SERVICES)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from axes.models import AccessAttempt
from django.conf import settings

from tests.conftest import require_or_skip
from tests.website.test_celery_worker import database_url_for_worker
from website.factories.website import DEMO_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = Path(__file__).with_name("signin_attempts.py")
REDIS_URL = "redis://127.0.0.1:6379/12"


def attempts(passwords: list[str], cache_url: str = "") -> tuple[list[int], int]:
    """Sign-in attempts as "officer", one per password, made by a new process of the site."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.test",
        "DATABASE_URL": database_url_for_worker(),
        "SIGNIN_TEST_CACHE_URL": cache_url,
    }
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "officer", *passwords],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return report["statuses"], report["pid"]


@pytest.fixture
def officer():
    return UserFactory(username="officer", groups=[settings.CONTENT_OFFICERS_GROUP])


@pytest.fixture
def shared_cache():
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.RedisError as error:
        require_or_skip(settings.REQUIRE_SERVICES, f"no Redis at {REDIS_URL}: {error}")
    connection.flushdb()
    yield REDIS_URL
    connection.flushdb()


def test_failures_in_two_processes_lock_the_account_in_the_database(officer):
    limit = settings.AXES_FAILURE_LIMIT
    first, first_pid = attempts(["wrong"] * (limit - 2))
    second, second_pid = attempts(["wrong", "wrong", DEMO_PASSWORD])
    assert first_pid != second_pid
    assert first == [200] * (limit - 2)
    assert second == [200, 429, 429]
    attempt = AccessAttempt.objects.get(username="officer")
    assert attempt.failures_since_start >= limit


def test_failures_in_two_processes_lock_the_account_in_the_shared_cache(officer, shared_cache):
    limit = settings.AXES_FAILURE_LIMIT
    first, first_pid = attempts([DEMO_PASSWORD] + ["wrong"] * (limit - 2), shared_cache)
    second, second_pid = attempts(["wrong", "wrong", DEMO_PASSWORD], shared_cache)
    assert first_pid != second_pid
    assert first == [302] + [200] * (limit - 2)
    assert second == [200, 429, 429]
    # Counted in the shared cache, not in the database.
    assert not AccessAttempt.objects.exists()
    assert redis.Redis.from_url(shared_cache).dbsize() > 0
