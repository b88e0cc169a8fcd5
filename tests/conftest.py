"""Fixtures shared by every test folder."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from wagtail.models import Locale, Site

from website.models import HomePage

# Playwright's synchronous API keeps an event loop in the test thread; the ORM calls the
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def manage_py(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """`manage.py` with `args` in a process of its own, with the environment `env` (settings
    are read once per process, so production settings are tried this way)."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def require_or_skip(required: bool, reason: str) -> None:
    """Skip a test whose service is missing, or fail it when CI says the service must be there."""
    if required:
        pytest.fail(f"{reason} (required in this run)")
    pytest.skip(reason)


ONE_WRITER_AT_A_TIME = (
    "several worker processes write to the database at once: this needs PostgreSQL "
    "(set DATABASE_URL); SQLite allows one writer at a time"
)


def _on_sqlite() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


@pytest.fixture
def several_processes_database() -> None:
    """For tests whose worker processes write to the test database at the same time. SQLite
    lets one process write at a time, and such tests end in "database is locked" there;
    they run on PostgreSQL (DATABASE_URL), and are skipped on SQLite unless the run
    requires its services (REQUIRE_SERVICES=1, as in CI), where they fail instead. (The skip
    itself is marked at collection, below, so that the test's database is never set up.)"""
    if _on_sqlite():
        require_or_skip(settings.REQUIRE_SERVICES, ONE_WRITER_AT_A_TIME)


def pytest_collection_modifyitems(items) -> None:
    """Skip the tests of `several_processes_database` on SQLite before any of their fixtures
    run: a transactional test's database, restored from its serialized copy and then skipped,
    could otherwise meet the rows a previous transactional test left behind."""
    if not _on_sqlite() or settings.REQUIRE_SERVICES:
        return
    skip = pytest.mark.skip(reason=ONE_WRITER_AT_A_TIME)
    for item in items:
        if "several_processes_database" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


def use_broker(url: str, eager: bool) -> None:
    """Point the Celery app at a broker, dropping connections cached for the previous one.
    (Not `app.close()`: that also unregisters the app, so tasks of modules imported later
    would never reach it.) Celery prefers an exported CELERY_BROKER_URL to `broker_url`, as CI
    exports one, but not to the read and write URLs, which are set too."""
    from website.celery_app import app

    app._pool = None
    app.amqp._producer_pool = None
    app.conf.task_always_eager = eager
    app.conf.broker_url = app.conf.broker_read_url = app.conf.broker_write_url = url


# Page speed (#17): the shared cache holds the locale table, menus, settings and pages; each
# test starts from an empty one, as a rolled-back database would otherwise show through.
@pytest.fixture(autouse=True)
def _empty_shared_cache() -> None:
    from django.core.cache import caches

    from website import locales, pagecache

    for cache in caches.all():
        cache.clear()
    locales.forget()
    pagecache._forget()


@pytest.fixture(autouse=True)
def _test_client_sign_in(monkeypatch) -> None:
    """The test client's `force_login` and `login` skip the admin's sign-in page; they skip
    its second step too, as if the code had been typed (a user whose role needs an
    authenticator is given one with the demo key). `login` hands django-axes the request it
    needs. Tests of the sign-in itself post to the login page (tests/website/test_signin*.py)."""
    from django.http import HttpRequest
    from django.test import Client

    from website.factories.website import pass_second_step

    original_login = Client._login
    original_credentials_login = Client.login

    def login_verified(self, user, backend=None) -> None:
        original_login(self, user, backend)
        pass_second_step(self, user)

    def login_with_request(self, **credentials) -> bool:
        credentials.setdefault("request", HttpRequest())
        return original_credentials_login(self, **credentials)

    monkeypatch.setattr(Client, "_login", login_verified)
    monkeypatch.setattr(Client, "login", login_with_request)


@pytest.fixture
def home_page(db) -> HomePage:
    return HomePage.objects.get(locale=Locale.get_default(), depth=2)


@pytest.fixture
def site(db) -> Site:
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def demo_site(db, settings) -> None:
    """The demo content, as `make run` shows it."""
    settings.DEBUG = True
    # Renditions (#17 media): left to the worker, as tests of the demo do not look at them.
    call_command("load_demo_data", "--without-renditions", stdout=io.StringIO())
    settings.DEBUG = False


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def pytest_report_header(config) -> str:
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = "redis" if settings.CELERY_BROKER_URL else "none"
    required = "; services required" if settings.REQUIRE_SERVICES else ""
    return f"database: {db}; broker: {broker} (tasks run eagerly in tests){required}"


@pytest.fixture
def networks():
    """The social networks' APIs, faked on a local port (tests/social/fake_networks.py)."""
    from tests.social.fake_networks import FakeNetworks, serve

    fake = FakeNetworks()
    server, url = serve(fake)
    fake.url = url
    yield fake
    server.shutdown()
