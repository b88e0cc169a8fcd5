"""In CI the suite runs on the production services, not on the embedded defaults."""

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.services
def test_runs_on_postgresql_and_redis_when_services_are_required():
    if not settings.REQUIRE_SERVICES:
        pytest.skip("REQUIRE_SERVICES is not set: the embedded defaults are allowed")
    assert connection.vendor == "postgresql"
    assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_without_a_broker_tasks_run_eagerly(settings):
    from website.celery_app import app

    assert app.conf.task_always_eager is True
