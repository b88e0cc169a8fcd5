"""A matching run whose Celery worker is SIGKILLed mid-run recovers with no person's help:
its lease lapses, beat's check queues it again, a worker runs it whole, within 2 minutes of
the kill. A real worker on a Redis of the test's own; PostgreSQL for the shared database
(skipped on SQLite)."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from campaigns.benchmark import RedisServer
from mentoring.models import Application, MatchRun, Person
from mentoring.services import recovery, runs
from tests.conftest import require_or_skip, use_broker
from tests.website.test_celery_worker import database_url_for_worker
from website.celery_app import app as celery_app
from website.factories.mentoring import RoundFactory

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

POOL = 3000
RECOVER_WITHIN = 120.0
COUNTRIES = ["AU", "US", "GB", "KE", "BR", "IN", "JP", "FR", "NG", "MX", "CL", "NZ"]
SECTORS = ["public", "academic", "school", "special"]


@pytest.fixture
def broker(tmp_path):
    if connection.vendor != "postgresql":
        require_or_skip(
            settings.REQUIRE_SERVICES,
            "the worker and the test write one database at once: run with a PostgreSQL "
            "DATABASE_URL",
        )
    if not RedisServer.available():
        require_or_skip(settings.REQUIRE_SERVICES, "redis-server is not installed")
    eager, url = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    with RedisServer(tmp_path) as server:
        use_broker(server.url, eager=False)
        try:
            yield server.url
        finally:
            use_broker(url, eager=eager)


def confirmed_pool(size: int):
    round = RoundFactory(opened_days_ago=33)
    now = timezone.now()
    emails = [f"matcher{n:05d}@example.org" for n in range(size)]
    Person.objects.bulk_create([Person(email_normalised=email) for email in emails])
    people = dict(Person.objects.values_list("email_normalised", "pk"))
    Application.objects.bulk_create(
        [
            Application(
                round=round,
                person_id=people[email],
                name=f"Matcher {n}",
                email=email,
                email_normalised=email,
                status=Application.Status.CONFIRMED,
                country=COUNTRIES[n % len(COUNTRIES)],
                sector=SECTORS[n % len(SECTORS)],
                role="Librarian",
                career_stage="mid",
                years_experience=n % 30,
                agreed_code_of_conduct_at=now,
                agreed_requirements_at=now,
                consent_version="test",
            )
            for n, email in enumerate(emails)
        ],
        batch_size=1000,
    )
    return round


def start_worker(broker_url: str, log_path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.dev",
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": broker_url,
        "LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "website", "worker", "--pool", "solo",
        "--queues", "matching", "--without-gossip", "--without-mingle", "--loglevel", "INFO",
    ]  # fmt: skip
    with log_path.open("a") as log:
        return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log)


def status(run: MatchRun) -> str:
    return MatchRun.objects.values_list("status", flat=True).get(pk=run.pk)


def test_a_killed_matching_run_recovers_by_itself(broker, tmp_path):
    round = confirmed_pool(POOL)
    log_path = tmp_path / "worker.log"
    worker = start_worker(broker, log_path)
    try:
        run = runs.start_run(round)  # queued through the broker, as the admin does
        deadline = time.monotonic() + 120
        while status(run) != MatchRun.Status.RUNNING:
            assert status(run) == MatchRun.Status.QUEUED, log_path.read_text()
            assert time.monotonic() < deadline, f"the run never started:\n{log_path.read_text()}"
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=20)
        killed = time.monotonic()
        assert status(run) == MatchRun.Status.RUNNING
        worker = start_worker(broker, log_path)

        # Beat's check, at its interval, until the run is done.
        while status(run) != MatchRun.Status.DONE:
            assert status(run) in {MatchRun.Status.RUNNING, MatchRun.Status.QUEUED}, (
                MatchRun.objects.get(pk=run.pk).error
            )
            assert time.monotonic() - killed < RECOVER_WITHIN, log_path.read_text()
            recovery.recover()
            waited = time.monotonic()
            while (
                status(run) != MatchRun.Status.DONE
                and time.monotonic() - waited < settings.MATCHING_RECOVER_SECONDS
            ):
                time.sleep(0.2)
        print(f"recovered {time.monotonic() - killed:.1f} s after the kill")
    finally:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
    run.refresh_from_db()
    assert run.attempts == 2
    assert run.pairs.exists() and run.pool_size == POOL
