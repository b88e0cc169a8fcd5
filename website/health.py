"""`/healthz` for load balancers: 200 when this process reaches the database, the cache and
the broker, 503 when one of them fails. The body says only "ok" or "unavailable"; what
failed is logged. It is answered before any other middleware, so a load balancer's plain
HTTP request, addressed by IP, is neither redirected to HTTPS nor refused for its host."""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

from website.celery_app import app as celery_app

PATH = "/healthz"
TIMEOUT_SECONDS = 2

logger = logging.getLogger(__name__)


def database_reachable() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def cache_reachable() -> None:
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not return what was stored")


def broker_reachable() -> None:
    if celery_app.conf.task_always_eager:
        return  # no broker: tasks run in the process (development and tests only)
    with celery_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=0, timeout=TIMEOUT_SECONDS)


CHECKS: dict[str, Callable[[], None]] = {
    "database": database_reachable,
    "cache": cache_reachable,
    "broker": broker_reachable,
}


def failing_services() -> list[str]:
    failing = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Health check: the %s is unreachable", name)
            failing.append(name)
    return failing


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        elif failing_services():
            response = JsonResponse({"status": "unavailable"}, status=503)
        else:
            response = JsonResponse({"status": "ok"})
        add_never_cache_headers(response)
        return response
