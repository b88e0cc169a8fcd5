"""`make bench`: a 10,000-recipient campaign sent into a local SMTP sink (aiosmtpd, in a
process of its own) with the rate limit off, on a fresh temporary SQLite database (WAL
journal): messages per second and peak memory of the sending process.

    python -m campaigns.benchmark [--recipients 10000] [--profile]
"""

import argparse
import cProfile
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


class CountingHandler:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            self.count += len(envelope.rcpt_tos)
        return "250 OK"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def peak_memory_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def prepare_environment(folder: Path, port: int) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "website.settings.dev",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "CELERY_BROKER_URL": "",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_RATE_PER_SECOND": "0",
            "EMAIL_RATE_PER_DAY": "0",
            "ANYMAIL_ESP": "",
            "LOG_LEVEL": "WARNING",
            "MEDIA_ROOT": str(folder / "media"),
        }
    )


def make_audience(size: int):
    from django.utils import timezone
    from wagtail.rich_text import RichText

    from campaigns.models import Campaign
    from mentoring.models import Application, Person, Round

    now = timezone.now()
    round = Round.objects.create(
        name="Benchmark round",
        slug="benchmark",
        application_opens_at=now,
        application_closes_at=now + timezone.timedelta(days=20),
        confirmation_deadline=now + timezone.timedelta(days=30),
        matching_date=now + timezone.timedelta(days=33),
        starts_on=(now + timezone.timedelta(days=40)).date(),
        ends_on=(now + timezone.timedelta(days=160)).date(),
    )
    emails = [f"reader{n:05d}@example.org" for n in range(size)]
    Person.objects.bulk_create([Person(email_normalised=email) for email in emails])
    people = dict(Person.objects.values_list("email_normalised", "pk"))
    common = {
        "round": round,
        "status": Application.Status.CONFIRMED,
        "country": "NZ",
        "sector": "public",
        "role": "Librarian",
        "career_stage": "mid",
        "years_experience": 5,
        "agreed_code_of_conduct_at": now,
        "agreed_requirements_at": now,
        "consent_version": "bench",
    }
    Application.objects.bulk_create(
        [
            Application(
                person_id=people[email],
                name=f"Reader {n}",
                email=email,
                email_normalised=email,
                **common,
            )
            for n, email in enumerate(emails)
        ],
        batch_size=1000,
    )
    return Campaign.objects.create(
        name="Benchmark",
        subject="Round news",
        body=[
            ("text", RichText("<h2>Applications are open</h2><p>" + "News. " * 80 + "</p>")),
            ("button", {"label": "Apply now", "url": "https://network.example.org/apply/"}),
        ],
    )


def run_sink(port: int) -> None:
    """The sink process: counts what it receives until its stdin closes, then prints it."""
    from aiosmtpd.controller import Controller

    handler = CountingHandler()
    sink = Controller(handler, hostname="127.0.0.1", port=port)
    sink.start()
    print("ready", flush=True)
    sys.stdin.read()
    sink.stop()
    print(handler.count, flush=True)


def start_sink() -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "campaigns.benchmark", "--sink", str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    return process, port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="print the top of a profile")
    parser.add_argument("--sink", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        run_sink(args.sink)
        return

    sink, port = start_sink()
    with tempfile.TemporaryDirectory(prefix="campaign-bench-") as folder:
        prepare_environment(Path(folder), port)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from campaigns.services import sending
        from campaigns.tasks import send_campaign

        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        print("Preparing a temporary database (migrations)...", flush=True)
        call_command("migrate", verbosity=0)
        campaign = make_audience(args.recipients)
        send_campaign.delay_on_commit = lambda *a, **k: None  # the driver is timed on its own

        began = time.perf_counter()
        sending.start(campaign.pk)
        written = time.perf_counter() - began

        profile = cProfile.Profile() if args.profile else None
        began = time.perf_counter()
        if profile:
            profile.enable()
        while sending.run(campaign.pk, budget_seconds=None) is not None:
            pass
        if profile:
            profile.disable()
        elapsed = time.perf_counter() - began
        received = int(sink.communicate("", timeout=30)[0].strip())

        print(f"recipients:        {args.recipients}")
        print(f"rows written in:   {written:.2f} s")
        print(f"sent in:           {elapsed:.2f} s")
        print(f"received by sink:  {received}")
        print(f"messages/second:   {args.recipients / elapsed:.1f}")
        print(f"peak memory (RSS): {peak_memory_mb():.0f} MB")
        print(f"cores:             {os.cpu_count()}")
        if profile:
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        if received != args.recipients:
            sys.exit("the sink did not receive every message exactly once")


if __name__ == "__main__":
    main()
