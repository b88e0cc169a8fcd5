"""On SQLite (`make run`'s default) the web server, the worker and beat write to one file.
Two processes that each read a row and write it back, in transactions, at the same time:
every transaction waits its turn (none fails with "database is locked") and no update is
lost."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings

from tests.website.test_celery_worker import database_url_for_worker
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 50
WRITER = """
import sys, time
from pathlib import Path
import django
django.setup()
from django.db import transaction
from website.models import OutboundEmail
rounds, folder = int(sys.argv[1]), Path(sys.argv[2])
(folder / sys.argv[3]).touch()
while not (folder / "go").exists():
    time.sleep(0.01)
for _n in range(rounds):
    with transaction.atomic():
        row = OutboundEmail.objects.get(key="counter")
        time.sleep(0.002)
        OutboundEmail.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
"""


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="about SQLite's locking",
)
def test_two_processes_read_and_write_the_same_row_without_locking_errors(tmp_path):
    OutboundEmail.objects.create(key="counter", to="a@example.org", template="counter")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.test",
        "DATABASE_URL": database_url_for_worker(),
    }
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(ROUNDS), str(tmp_path), f"ready-{n}"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in range(2)
    ]
    # Both start writing at the same moment, once Django is set up in each.
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"ready-{n}").exists() for n in range(2)):
        assert time.monotonic() < deadline, "the writers did not start"
        assert all(writer.poll() is None for writer in writers), "a writer exited early"
        time.sleep(0.05)
    (tmp_path / "go").touch()
    outputs = [writer.communicate(timeout=300)[0] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], "\n".join(outputs)
    assert OutboundEmail.objects.get(key="counter").attempts == 2 * ROUNDS
