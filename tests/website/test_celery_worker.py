"""A real Celery worker, started by the test against Redis, runs a task end to end: beat's
scheduled-publishing job makes a page go live in the database the test uses."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.conftest import require_or_skip, use_broker
from website.celery_app import app as celery_app
from website.factories.website import StandardPageFactory
from website.models import StandardPage
from website.tasks import publish_scheduled_pages

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def broker_url() -> str:
    url = settings.CELERY_BROKER_URL or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        require_or_skip(settings.REQUIRE_SERVICES, f"no Redis broker at {url}: {error}")
    return url


def database_url_for_worker() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}{port}/{db['NAME']}"


@pytest.fixture
def worker(broker_url):
    """Start `celery worker` in its own process on a queue of its own; stop it afterwards."""
    queue = f"test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.test",
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": broker_url,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "website",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    eager, url = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    use_broker(broker_url, eager=False)
    try:
        yield queue, process
    finally:
        use_broker(url, eager=eager)
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_worker_publishes_a_scheduled_page(home_page, worker):
    queue, process = worker
    page = StandardPageFactory(
        parent=home_page, title="Round opens", slug="round-opens", live=False
    )
    revision = page.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])

    result = publish_scheduled_pages.apply_async(queue=queue)
    assert result.id

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if StandardPage.objects.get(pk=page.pk).live:
            break
        if process.poll() is not None:
            pytest.fail(f"the worker exited:\n{process.stdout.read()}")
        time.sleep(0.5)
    else:
        process.terminate()
        pytest.fail(f"the page was not published by the worker:\n{process.communicate()[0]}")
    assert StandardPage.objects.get(pk=page.pk).live
