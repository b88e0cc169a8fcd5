"""The approval of 20,000 pairs by a real Celery worker, SIGKILLed twice half-way: each time
beat's check finds the approval's lease lapsed and queues it again, a new worker goes on from
the last committed batch, and in the end every pair has one partnership and every person one
introduction. PostgreSQL for the shared database and a Redis of the test's own (skipped
without them unless REQUIRE_SERVICES=1)."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.utils import timezone

from mentoring.models import Application, MatchRun, Partnership
from mentoring.services import approval
from tests.mentoring.test_matching_approval import introductions, reviewed_run
from tests.mentoring.test_matching_worker_crash import broker  # noqa: F401 (a fixture)
from tests.website.test_celery_worker import database_url_for_worker

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAIRS = 20_000
KILLS = 2
WITHIN = 600.0


def start_worker(broker_url: str, log_path) -> subprocess.Popen:
    """A worker on the default queue, where approvals go (mail waits on its own queue)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.dev",
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": broker_url,
        "LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "website", "worker", "--pool", "solo",
        "--queues", "default", "--without-gossip", "--without-mingle", "--loglevel", "INFO",
    ]  # fmt: skip
    with log_path.open("a") as log:
        return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log)


def approved(run: MatchRun) -> int:
    return run.pairs.filter(partnership__isnull=False).count()


def wait_for(condition, log_path, what: str) -> None:
    deadline = time.monotonic() + WITHIN
    while not condition():
        assert time.monotonic() < deadline, f"{what} not in {WITHIN} s:\n{log_path.read_text()}"
        time.sleep(0.05)


def test_an_approval_killed_twice_introduces_everyone_once(broker, tmp_path):  # noqa: F811
    run = reviewed_run(pairs=PAIRS)
    total = PAIRS + 1
    log_path = tmp_path / "worker.log"
    worker = start_worker(broker, log_path)
    try:
        approval.start_approval(run)  # queued through the broker, as the admin does
        for kill in range(1, KILLS + 1):
            reached = kill * total // (KILLS + 1)
            wait_for(lambda r=reached: approved(run) >= r, log_path, f"{reached} pairs approved")
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=20)
            stopped_at = approved(run)
            assert 0 < stopped_at < total
            assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.APPROVING
            worker = start_worker(broker, log_path)
            # The lease of the dead worker lapses; beat's check then queues the job again.
            MatchRun.objects.filter(pk=run.pk).update(lease_expires_at=timezone.now())
            assert approval.resume_approvals() == [run.pk]
        wait_for(
            lambda: MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.APPROVED,
            log_path,
            "the approval",
        )
    finally:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
    assert Partnership.objects.filter(round=run.round).count() == total
    assert not run.pairs.filter(partnership__isnull=True).exists()
    matched = Application.objects.filter(round=run.round, status=Application.Status.MATCHED)
    assert matched.count() == 2 * PAIRS + 3
    keys = introductions(run)
    assert len(keys) == len(set(keys)) == 2 * PAIRS + 3
