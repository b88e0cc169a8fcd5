"""`make run`'s process starter, black-box: `manage.py runall` with the development settings
and no broker configured serves the site, runs a task sent through the embedded broker in its
worker, prints its summary last, and one Ctrl-C (SIGINT) stops every process it started."""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.request import urlopen

import pytest
from django.conf import settings
from django.utils import timezone

from tests.conftest import use_broker
from tests.website.test_celery_worker import database_url_for_worker
from website.celery_app import app as celery_app
from website.factories.website import StandardPageFactory
from website.models import StandardPage
from website.tasks import publish_scheduled_pages

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


def kill(pids: set[int]) -> None:
    for pid in alive(pids):
        os.kill(pid, signal.SIGKILL)


def publish_through_the_embedded_broker(folder: Path) -> None:
    eager, url = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    options = celery_app.conf.broker_transport_options
    celery_app.conf.broker_transport_options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "processed_folder": str(folder / "processed"),
    }
    for name in ("queue", "control", "processed"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    use_broker("filesystem://localhost/", eager=False)
    try:
        publish_scheduled_pages.apply_async()
    finally:
        use_broker(url, eager=eager)
        celery_app.conf.broker_transport_options = options


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_runall_serves_runs_tasks_and_stops_everything_on_ctrl_c(home_page, tmp_path):
    page = StandardPageFactory(
        parent=home_page, title="Round opens", slug="round-opens", live=False
    )
    revision = page.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.dev",
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": "",
        "CELERY_BROKER_FOLDER": str(tmp_path / "broker"),
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runall", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    started: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while True:
            started |= descendants(process.pid)
            try:
                with urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the site never answered:\n{process.communicate()[0]}")
                time.sleep(0.5)

        publish_through_the_embedded_broker(tmp_path / "broker")
        while not StandardPage.objects.get(pk=page.pk).live:
            started |= descendants(process.pid)
            if process.poll() is not None or time.monotonic() > deadline:
                process.send_signal(signal.SIGINT)
                pytest.fail(f"the worker did not run the task:\n{process.communicate()[0]}")
            time.sleep(0.5)
        started |= descendants(process.pid)
        # The web server (with its autoreloader) and the worker (with its pool and beat).
        assert len(started) >= 4

        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=60)[0]
    except subprocess.TimeoutExpired:
        # Processes that outlived runall hold its output open.
        kill(started)
        pytest.fail("runall did not stop within 60 s of Ctrl-C")
    finally:
        if process.poll() is None:
            kill(started | descendants(process.pid))
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    lines = [line for line in output.splitlines() if line.strip()]
    summary = next(n for n, line in enumerate(lines) if line.startswith("The site is at"))
    assert f"http://127.0.0.1:{port}/admin/" in lines[summary]
    # After the server's own start-up lines, before the stop.
    assert any("Quit the server with" in line for line in lines[:summary])
    assert any(line.startswith("Stopping") for line in lines[summary:])
    assert "ERROR" not in output  # e.g. a pool process killed under the worker's feet
    deadline = time.monotonic() + 10
    while alive(started) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(started), f"still running after Ctrl-C: {alive(started)}"
