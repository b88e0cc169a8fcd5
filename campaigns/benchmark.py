"""`make bench`: a 10,000-recipient campaign sent into a local SMTP sink (aiosmtpd, in a
process of its own) with the rate limit off, on a fresh temporary SQLite database (WAL
journal): messages per second and peak memory of the sending process.

    python -m campaigns.benchmark [--recipients 10000] [--profile]

With `--kills N`: a campaign sent by a real Celery worker on a Redis of its own
(redis-server), the worker SIGKILLed N times mid-send and started again at once, beat's
dispatcher running in this process; then the in-doubt messages are settled the way the
provider's events would (what the sink received was sent; the rest is sent again). Prints,
after each kill, the seconds until sending resumed, and at the end duplicates, lost and in
doubt. On PostgreSQL when DATABASE_URL names one, else on a temporary SQLite (WAL).

    python -m campaigns.benchmark --crash --recipients 5000 --kills 10
"""

import argparse
import cProfile
import os
import pstats
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


class CountingHandler:
    def __init__(self) -> None:
        self.count = 0
        self.per_recipient: Counter = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            self.count += len(envelope.rcpt_tos)
            self.per_recipient.update(rcpt.lower() for rcpt in envelope.rcpt_tos)
        return "250 OK"


class RedisServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = (self.folder / "redis.log").open("a")
        command = [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", str(self.folder),
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            stdout=log,
            stderr=log,
        )
        deadline = time.monotonic() + 20
        import redis

        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        """Gone at once, as when the server crashes or the network drops."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def restart(self, down_for: float = 0.0) -> None:
        self.stop()
        time.sleep(down_for)
        self.start()

    def __enter__(self) -> "RedisServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def free_port() -> int:
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


@dataclass
class CrashReport:
    """What a campaign sent through killed workers came to."""

    resumed_after: list[float] = field(default_factory=list)
    in_doubt_before_settling: int = 0
    status_before_settling: str = ""
    duplicates: int = 0
    lost: int = 0
    in_doubt: int = 0


def _wait(condition: Callable[[], bool], process: subprocess.Popen, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            raise RuntimeError(f"the worker exited while waiting for {what}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.05)


class CrashRig:
    """Real Celery workers (one at a time) sending a started campaign, killed on demand, and
    beat's campaign dispatcher in a thread of this process, as beat would run it."""

    def __init__(self, campaign_id: int, env: dict[str, str], folder: Path) -> None:
        self.campaign_id, self.env, self.folder = campaign_id, env, folder
        self.worker: subprocess.Popen | None = None
        self.started = 0
        self.stopping = threading.Event()
        self.dispatcher = threading.Thread(target=self._dispatch, daemon=True)

    def _dispatch(self) -> None:
        from django.conf import settings
        from django.db import connection

        from campaigns.services import sending

        try:
            while not self.stopping.wait(settings.CAMPAIGN_DISPATCH_SECONDS):
                sending.dispatch()
        finally:
            connection.close()

    def start_worker(self) -> subprocess.Popen:
        from django.conf import settings

        self.started += 1
        log = (self.folder / f"worker-{self.started}.log").open("w")
        command = [
            sys.executable, "-m", "celery", "-A", "website", "worker", "--pool", "solo",
            "--queues", "mail,default", "--hostname", f"crash-{self.started}@%h",
            "--without-gossip", "--without-mingle", "--loglevel", "WARNING",
        ]  # fmt: skip
        self.worker = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=self.env, stdout=log, stderr=log
        )
        return self.worker

    def kill(self) -> None:
        self.worker.send_signal(signal.SIGKILL)
        self.worker.wait(timeout=20)

    def status(self) -> str:
        from campaigns.models import Campaign

        return Campaign.objects.values_list("status", flat=True).get(pk=self.campaign_id)

    def __enter__(self) -> "CrashRig":
        self.dispatcher.start()
        self.start_worker()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.dispatcher.join()
        if self.worker is not None and self.worker.poll() is None:
            self.worker.terminate()
            try:
                self.worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.worker.kill()
                self.worker.wait()


def send_through_kills(
    rig: CrashRig,
    kill_at: list[int],
    sink_count: Callable[[], int],
    received: Callable[[], Counter],
    expected: set[str],
    timeout: float = 300,
    on_kill: Callable[[int, float], None] | None = None,
) -> CrashReport:
    """Kill the worker each time the sink has `kill_at[i]` messages, start another at once,
    time how long until a message arrives again; then settle what is in doubt from the
    sink (the provider's events) and send again what never arrived."""
    from anymail.signals import AnymailTrackingEvent

    from campaigns import tracking
    from campaigns.models import Campaign
    from campaigns.services import sending
    from website.models import OutboundEmail

    report = CrashReport()
    for threshold in kill_at:
        _wait(lambda n=threshold: sink_count() >= n, rig.worker, timeout, f"{threshold} messages")
        rig.kill()
        killed = time.monotonic()
        time.sleep(0.5)  # a message already on the wire when the worker died still lands
        before = sink_count()
        rig.start_worker()
        _wait(lambda n=before: sink_count() > n, rig.worker, timeout, "sending to resume")
        report.resumed_after.append(time.monotonic() - killed)
        if on_kill:
            on_kill(len(report.resumed_after), report.resumed_after[-1])
    done = {Campaign.Status.SENT, Campaign.Status.IN_DOUBT}
    _wait(lambda: rig.status() in done, rig.worker, timeout, "the campaign to finish")
    campaign = Campaign.objects.get(pk=rig.campaign_id)
    report.status_before_settling = campaign.status
    doubtful = list(sending.in_doubt(campaign))
    report.in_doubt_before_settling = len(doubtful)
    arrived = received()
    for message in doubtful:
        if arrived[message.to.lower()]:
            tracking.record_event(
                AnymailTrackingEvent(
                    event_type="delivered",
                    recipient=message.to,
                    metadata={"outbox_id": str(message.pk)},
                )
            )
    sending.dispatch()
    sending.resend(campaign)
    _wait(lambda: rig.status() == Campaign.Status.SENT, rig.worker, timeout, "settling")
    counts = received()
    report.duplicates = sum(n - 1 for n in counts.values() if n > 1)
    report.lost = len(expected - set(counts))
    report.in_doubt = (
        sending.messages(campaign).filter(status=OutboundEmail.Status.IN_DOUBT).count()
    )
    return report


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


def crash(recipients: int, kills: int) -> None:
    """The campaign through `kills` SIGKILLs of its worker (see the module's docstring)."""
    from aiosmtpd.controller import Controller

    handler = CountingHandler()
    port = free_port()
    sink = Controller(handler, hostname="127.0.0.1", port=port)
    sink.start()
    database_url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="campaign-crash-") as name:
        folder = Path(name)
        prepare_environment(folder, port)
        if database_url.startswith("postgres"):
            os.environ["DATABASE_URL"] = database_url
        with RedisServer(folder) as redis_server:
            os.environ["CELERY_BROKER_URL"] = redis_server.url
            import django

            django.setup()
            from django.core.management import call_command
            from django.db import connection

            from campaigns.services import sending

            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA journal_mode=WAL")
            else:
                call_command("flush", interactive=False, verbosity=0)
            print("Preparing the database (migrations)...", flush=True)
            call_command("migrate", verbosity=0)
            campaign = make_audience(recipients)
            step = recipients // (kills + 2)
            kill_at = [step * (n + 1) for n in range(kills)]
            expected = {f"reader{n:05d}@example.org" for n in range(recipients)}

            def counted() -> int:
                with handler.lock:
                    return handler.count

            def received() -> Counter:
                with handler.lock:
                    return Counter(handler.per_recipient)

            def on_kill(n: int, seconds: float) -> None:
                print(f"kill {n:2d}: sending resumed after {seconds:5.1f} s", flush=True)

            began = time.perf_counter()
            with CrashRig(campaign.pk, dict(os.environ), folder) as rig:
                sending.start(campaign.pk)
                report = send_through_kills(
                    rig, kill_at, counted, received, expected, on_kill=on_kill
                )
            elapsed = time.perf_counter() - began
    sink.stop()
    print(f"recipients:                 {recipients}")
    print(f"kills:                      {kills}")
    print(f"in doubt before settling:   {report.in_doubt_before_settling}")
    print(f"status before settling:     {report.status_before_settling}")
    print(f"duplicates:                 {report.duplicates}")
    print(f"lost:                       {report.lost}")
    print(f"in doubt after settling:    {report.in_doubt}")
    print(f"longest resume:             {max(report.resumed_after):.1f} s")
    print(f"total time:                 {elapsed:.0f} s")
    if report.duplicates or report.lost or report.in_doubt:
        sys.exit("some recipients got the message twice, never, or are still in doubt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="print the top of a profile")
    parser.add_argument("--crash", action="store_true", help="kill the worker mid-send")
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--sink", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        run_sink(args.sink)
        return
    if args.crash:
        crash(args.recipients, args.kills)
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
        send_campaign.apply_async = lambda *a, **k: None  # the driver is timed on its own

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
