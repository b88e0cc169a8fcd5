"""Playwright driving Debian's Chromium, headless, against pytest-django's live server."""

import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import require_or_skip

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator[Browser]:
    path = settings.CHROMIUM_PATH
    if not os.path.exists(path):
        require_or_skip(settings.REQUIRE_BROWSER, f"no Chromium at {path}")
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        # Playwright's event loop gives the tests a fresh connection-local context; the
        # database snapshot that serialized rollback restores must follow into it.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class RequestLog:
    """Every request a page makes, to prove that nothing leaves this site."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def add(self, request) -> None:
        self.urls.append(request.url)

    def third_party(self) -> list[str]:
        return [
            url
            for url in self.urls
            if urlsplit(url).scheme in {"http", "https"}
            and urlsplit(url).hostname not in LOCAL_HOSTS
        ]


@pytest.fixture
def requests_made() -> RequestLog:
    return RequestLog()


@pytest.fixture
def page(browser: Browser, live_server, requests_made: RequestLog) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("request", requests_made.add)
    yield page
    context.close()
