"""The public pages under load, as in production: `python -m website.loadbench` (in `make bench`).

It builds a throwaway site (a new SQLite database with the demo content in a temporary
folder, or the PostgreSQL database of DATABASE_URL when it is set; the demo is rerunnable),
starts it with the production settings (DEBUG off, hashed static files) on two sync gunicorn
workers, with a throwaway Redis as the shared cache when `redis-server` is installed (else
each worker keeps its own cache, which the output says), and offers each page a rate with
Locust, headless: first with the page cache off (every request rendered), then with it on
(anonymous visitors served from the cache). The requests are those of visitors arriving
independently: rate x seconds of them, each due at a random moment of the run (a Poisson
process with its count fixed, see LOCUSTFILE), each timed from when it was due. For each
page it prints the rate achieved, the median, 95th and 99th percentile response times and
the errors, against the targets:

- uncached: every public page holds 25 requests/s with p95 <= 100 ms;
- cached: the home page, the blog index, a post and the postcards gallery hold 300
  requests/s with p95 <= 20 ms.

The exit status is 0 when it ran, whatever the figures (they depend on the machine); the
lines marked MISSED say which targets were not met.
"""

import argparse
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

LOCUSTFILE = """
import os
import random
import time
from collections import deque

import gevent
from locust import FastHttpUser, task
from locust.exception import StopUser

PATH = os.environ["BENCH_PATH"]
RATE = float(os.environ["BENCH_RATE"])
SECONDS = float(os.environ["BENCH_SECONDS"])
due = None  # when each request is due, earliest first
pending = 0  # requests taken from `due` and not yet answered


def arrivals():
    \"\"\"RATE x SECONDS requests, each due at a random moment of the next SECONDS: visitors
    arriving independently (a Poisson process of RATE a second, with its count fixed).\"\"\"
    start = time.monotonic()
    moments = sorted(random.uniform(0, SECONDS) for _ in range(round(RATE * SECONDS)))
    return deque(start + moment for moment in moments)


class Visitor(FastHttpUser):
    \"\"\"Sends the next request due, at its moment. A request that goes out late (every
    visitor was still waiting for an answer) is timed from when it was due, so a slow site
    is measured at the rate offered, not at a lower one. The run ends with the last answer.\"\"\"

    def wait_time(self):
        return 0

    @task
    def visit(self):
        global due, pending
        if due is None:
            due = arrivals()
        if not due:
            raise StopUser()
        moment = due.popleft()
        pending += 1
        try:
            gevent.sleep(max(0.0, moment - time.monotonic()))
            late = max(0.0, time.monotonic() - moment) * 1000
            with self.client.get(PATH, name=PATH, catch_response=True) as response:
                response.request_meta["response_time"] += late
        finally:
            pending -= 1
        if not due and pending == 0:
            gevent.spawn(self.environment.runner.quit)
            raise StopUser()
"""

WARM_UP_VISITS = 10
"""Visits before each page's run: enough to reach both workers and fill the page cache."""
UNCACHED_RATE, UNCACHED_P95 = 25, 100
CACHED_RATE, CACHED_P95 = 300, 20


@dataclass
class Result:
    path: str
    rate: float
    p50: float
    p95: float
    p99: float
    requests: int
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def site_environment(folder: Path, port: int, cache_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "website.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEY": urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_HSTS_SECONDS": "0",
            "BASE_URL": f"http://127.0.0.1:{port}",
            "MEDIA_ROOT": str(folder / "media"),
            "LOG_LEVEL": "WARNING",
        }
    )
    env.pop("CELERY_BROKER_URL", None)  # the demo's tasks run as it is built
    env.pop("DJANGO_DEBUG", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    else:
        env.pop("CACHE_URL", None)
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    return env


def manage(env: dict[str, str], *args: str) -> None:
    # --skip-checks: production's checks require a broker, which building the demo does not use.
    subprocess.run(
        [sys.executable, "manage.py", *args, "--skip-checks"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start_redis(folder: Path) -> tuple[subprocess.Popen | None, str]:
    server = shutil.which("redis-server")
    if server is None:
        return None, ""
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    return process, f"redis://127.0.0.1:{port}/0"


def start_site(env: dict[str, str], port: int, page_cache: bool) -> subprocess.Popen:
    env = {**env, "PAGE_CACHE_SECONDS": "600" if page_cache else "0"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "website.wsgi:application",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
    )
    wait_for(f"http://127.0.0.1:{port}/healthz")
    return process


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def drive(
    folder: Path, host: str, path: str, rate: int, seconds: int, users: int | None = None
) -> Result:
    """Offer `rate` requests/s to `path` for `seconds` (after a warm-up) with Locust, with at
    most `users` requests on the way at once."""
    locustfile = folder / "locustfile.py"
    locustfile.write_text(LOCUSTFILE)
    users = users or max(20, math.ceil(rate / 5))
    stats = folder / "stats.json"
    stats.unlink(missing_ok=True)
    for _visit in range(WARM_UP_VISITS):
        with urllib.request.urlopen(f"{host}{path}", timeout=30) as response:
            response.read()
    env = {**os.environ, "BENCH_PATH": path, "BENCH_RATE": str(rate), "BENCH_SECONDS": str(seconds)}
    log = tempfile.TemporaryFile("w+")  # noqa: SIM115 (read back below, closed on exit)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(locustfile),
            "--headless",
            "--host",
            host,
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds + 30}s",  # a backstop: the run ends with the last answer
            "--json-file",
            str(stats.with_suffix("")),
            "--only-summary",
            "--loglevel",
            "ERROR",
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    entries = json.loads(stats.read_text()) if stats.exists() else []
    result = summarise(path, next((entry for entry in entries if entry["name"] == path), None))
    if result.requests == 0 or result.errors:
        log.seek(0)
        print(f"Locust's report for {path}:\n{log.read()[-2000:]}", file=sys.stderr)
    return result


def summarise(path: str, entry: dict | None) -> Result:
    """The rate and percentiles from Locust's final statistics for one page. Its response
    times come counted in buckets (to the millisecond up to 100 ms, as Locust reports them);
    the rate is the requests answered over the time from the start to the last answer."""
    if not entry or not entry["num_requests"]:
        errors = entry["num_failures"] if entry else 0
        return Result(path, 0.0, math.nan, math.nan, math.nan, 0, errors)
    count = entry["num_requests"]
    buckets = sorted((float(ms), n) for ms, n in entry["response_times"].items())

    def percentile(fraction: float) -> float:
        seen = 0
        for ms, n in buckets:
            seen += n
            if seen >= fraction * count:
                return ms
        return buckets[-1][0]

    elapsed = entry["last_request_timestamp"] - entry["start_time"]
    return Result(
        path=path,
        rate=count / elapsed if elapsed > 0 else math.nan,
        p50=percentile(0.50),
        p95=percentile(0.95),
        p99=percentile(0.99),
        requests=count,
        errors=entry["num_failures"],
    )


def demo_paths(env: dict[str, str]) -> tuple[list[str], list[str]]:
    """One address of each public page type in the demo, and the four cached targets."""
    script = (
        "from website.loadbench import public_paths; "
        "import django; django.setup(); print('\\n'.join(public_paths()))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    paths = [line for line in output.splitlines() if line.startswith("/")]
    return paths, paths[:4]


def public_paths() -> list[str]:
    """Home, a blog post, the blog index, the postcards gallery first; then one of each other
    public page type (run inside Django)."""
    from blog.models import BlogIndexPage, BlogPage, DiscussionTopicPage, TopicIndexPage
    from postcards.models import PostcardIndexPage, PostcardPage
    from website.models import StandardPage

    def first(model, **filters) -> str | None:
        page = model.objects.live().filter(locale__language_code="en", **filters).first()
        return page.get_url() if page else None

    from ambassadors.models import AmbassadorIndexPage, PromoPage

    blog = first(BlogIndexPage)
    post = BlogPage.objects.live().filter(locale__language_code="en").first()
    tag = post.tags.first() if post else None
    paths = [
        "/",
        blog,
        post.get_url() if post else None,
        first(PostcardIndexPage),
        first(PostcardPage),
        first(StandardPage),
        f"{blog}tag/{tag.slug}/" if blog and tag else None,
        f"{blog}feed/rss/" if blog else None,
        first(TopicIndexPage),
        first(DiscussionTopicPage),
        first(AmbassadorIndexPage),
        first(PromoPage),
        "/apply/",
        "/search/?query=library",
        "/es/",
        "/ar/",
    ]
    return [path for path in paths if path]


def report(title: str, results: list[Result], rate: int, p95: int) -> None:
    print(f"\n{title}: offered {rate} req/s a page; target p95 <= {p95} ms")
    print(f"{'page':<55} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>7}")
    for result in results:
        missed = not result.rate >= rate * 0.95 or not result.p95 <= p95 or result.errors
        print(
            f"{result.path[:55]:<55} {result.rate:7.1f} {result.p50:6.0f} {result.p95:6.0f} "
            f"{result.p99:6.0f} {result.errors:7d}{'  MISSED' if missed else ''}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help="load per page (default 15)")
    parser.add_argument("--uncached-rate", type=int, default=UNCACHED_RATE)
    parser.add_argument("--cached-rate", type=int, default=CACHED_RATE)
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="loadbench-"))
    redis = site = None
    try:
        redis, cache_url = start_redis(folder)
        port = free_port()
        env = site_environment(folder, port, cache_url)
        database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
        print(f"Building the demo site on {database} (the first time takes a few minutes)...")
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo_data", "--allow-production")
        manage(env, "collectstatic", "--noinput")
        paths, cached_paths = demo_paths(env)
        cache = "a throwaway Redis" if cache_url else "each worker's memory (no redis-server)"
        print(f"Two sync gunicorn workers, production settings, {database}, cache in {cache}.")
        host = f"http://127.0.0.1:{port}"

        site = start_site(env, port, page_cache=False)
        uncached = [drive(folder, host, p, args.uncached_rate, args.seconds) for p in paths]
        stop(site)
        report("Uncached (page cache off)", uncached, args.uncached_rate, UNCACHED_P95)

        site = start_site(env, port, page_cache=True)
        cached = [drive(folder, host, p, args.cached_rate, args.seconds) for p in cached_paths]
        report("Cached (anonymous visitors)", cached, args.cached_rate, CACHED_P95)
    finally:
        stop(site)
        stop(redis)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
