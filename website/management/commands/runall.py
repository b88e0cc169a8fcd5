"""Run the whole site for development in one command: the web server, and a Celery worker
with beat (django-celery-beat's database scheduler) on the configured broker, by default
the embedded one, so that the round schedule, campaigns and email go on by themselves.

Ctrl-C stops every process; if one of them stops, the others are stopped too. Once the site
answers, the demo accounts and what to try as each are printed, last.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

WORKER_QUEUES = "default,mail,matching"
STARTUP_TIMEOUT = 90.0


class Stop(Exception):
    """A signal asked every process to stop."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stop


class Command(BaseCommand):
    help = "Serve the site and run a Celery worker with beat beside it; Ctrl-C stops both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--concurrency", type=int, default=2, help="Worker processes (default 2)."
        )

    def handle(self, *args, addrport: str, concurrency: int, **options) -> None:
        host, _sep, port = addrport.rpartition(":")
        if not port.isdigit():
            raise CommandError(f"Give the address as host:port, not {addrport!r}.")
        host = host.strip("[]") or "127.0.0.1"
        worker = [
            sys.executable, "-m", "celery", "-A", "website", "--quiet", "worker", "--beat",
            "--scheduler", settings.CELERY_BEAT_SCHEDULER, "--queues", WORKER_QUEUES,
            "--concurrency", str(concurrency), "--loglevel", "WARNING",
            "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        server = [sys.executable, "manage.py", "runserver", addrport]
        # Also when started with SIGINT ignored (a background job), Ctrl-C or a SIGTERM stops
        # everything.
        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        processes: dict[str, subprocess.Popen] = {}
        exit_code = 0
        try:
            # Each in a process group of its own, so that stopping one reaches its children
            # too (the server's autoreloader, the worker's pool and beat).
            for name, command in (("worker", worker), ("web server", server)):
                processes[name] = subprocess.Popen(
                    command, cwd=settings.BASE_DIR, start_new_session=True
                )
            self.wait_for_server(host, int(port), processes)
            self.stdout.write(self.summary(f"http://{addrport}"))
            exit_code = self.watch(processes)
        except (KeyboardInterrupt, Stop):
            self.stdout.write("Stopping the web server and the worker…")
            self.stdout.flush()
        finally:
            self.stop(processes)
        if exit_code:
            raise CommandError("A process stopped unexpectedly; the others were stopped.")

    def wait_for_server(self, host: str, port: int, processes: dict) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            self.check_running(processes)
            try:
                with socket.create_connection((host, port), timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        raise CommandError(f"The web server did not answer on {host}:{port}.")

    def check_running(self, processes: dict) -> None:
        for name, process in processes.items():
            if process.poll() is not None:
                raise CommandError(f"The {name} stopped (exit code {process.returncode}).")

    def watch(self, processes: dict) -> int:
        """Until a process ends on its own: its exit code (the others are then stopped)."""
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    self.stderr.write(f"The {name} stopped (exit code {process.returncode}).")
                    return process.returncode or 1
            time.sleep(0.5)

    def stop(self, processes: dict) -> None:
        """SIGTERM to the worker's main process, which stops its pool and beat after their
        current tasks, and to the web server's whole group (the autoreloader and its child);
        then SIGKILL to whatever is left of either group after 15 seconds."""
        # A second Ctrl-C while stopping changes nothing: the deadline ends it anyway.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for name, process in processes.items():
            if name == "worker":
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGTERM)
            else:
                self.signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.signal_group(process, signal.SIGKILL)
                process.wait()
            self.signal_group(process, signal.SIGKILL)

    @staticmethod
    def signal_group(process: subprocess.Popen, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)

    def summary(self, base: str) -> str:
        from website.demo import accounts_summary

        broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
        lines = [
            "",
            self.style.SUCCESS(f"The site is at {base}/ and the admin at {base}/admin/"),
            f"A Celery worker with beat runs beside it (broker: {broker}); "
            "email goes to the admin's Outbox. Ctrl-C stops everything.",
            accounts_summary(),
        ]
        return "\n".join(line for line in lines if line is not None)
