"""`/healthz` answers a load balancer (any host, plain HTTP) with 200 or 503 and no details,
and production settings refuse to run without the shared cache and broker."""

import os

import pytest
from django.db import connection
from django.test import Client

from campaigns.benchmark import free_port
from tests.conftest import manage_py, use_broker
from tests.website.test_deploy import example_environment
from website import health
from website.celery_app import app as celery_app


@pytest.fixture
def load_balancer(settings) -> Client:
    """A plain-HTTP request addressed by IP, as load balancers send, to a site that only
    accepts its own host over HTTPS."""
    settings.ALLOWED_HOSTS = ["network.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    return Client(HTTP_HOST="10.0.0.7")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/healthz/"])
def test_a_healthy_site_answers_ok_without_cookies_or_caching(load_balancer, path):
    response = load_balancer.get(path)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_an_unreachable_database_answers_503_and_tells_the_public_nothing(
    load_balancer, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("could not connect to server at 10.1.2.3")

    monkeypatch.setattr(connection, "cursor", refuse)

    response = load_balancer.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert "10.1.2.3" not in response.content.decode()
    assert "the database is unreachable" in caplog.text


@pytest.mark.django_db
def test_an_unreachable_broker_answers_503(load_balancer, caplog):
    eager, url = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    use_broker(f"redis://127.0.0.1:{free_port()}/0", eager=False)
    try:
        response = load_balancer.get("/healthz")
    finally:
        use_broker(url, eager=eager)

    assert response.status_code == 503
    assert "the broker is unreachable" in caplog.text


@pytest.mark.django_db
def test_a_cache_that_loses_what_it_stores_answers_503(load_balancer, monkeypatch):
    monkeypatch.setattr(health.cache, "get", lambda *args, **kwargs: None)
    assert load_balancer.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_only_reading_is_allowed(load_balancer):
    response = load_balancer.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("missing", ["CACHE_URL", "CELERY_BROKER_URL"])
def test_production_refuses_to_run_without_a_shared_cache_or_broker(missing):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(example_environment())
    env["DJANGO_SETTINGS_MODULE"] = "website.settings.production"
    env[missing] = ""
    result = manage_py(env, "check")
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr
