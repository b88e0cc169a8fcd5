"""The demo content built once per test module (it takes seconds), rolled back after the module.
Import `demo_module` and `_media_root` into a test module and mark it `django_db` to use it:
unmarked, its tests would run after the transactional ones, which leave the database empty."""

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Path]:
    """The demo site in one transaction that is rolled back when the module is done; each
    test still runs in its own savepoint. Yields the media folder holding its images."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        with override_settings(DEBUG=True):
            call_command("load_demo_data", "--without-renditions", stdout=io.StringIO())
        yield media
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root(request, settings) -> None:
    """The demo's images stay readable: tests of the module share its media folder."""
    if "demo_module" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("demo_module")
