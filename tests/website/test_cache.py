"""The Redis cache backend of production (website/cache.py): Django's, with one client per
connection pool."""

import pytest
import redis
from django.conf import settings

from tests.conftest import require_or_skip
from website.cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_cache():
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.RedisError as error:
        require_or_skip(settings.REQUIRE_SERVICES, f"no Redis at {REDIS_URL}: {error}")
    connection.flushdb()
    yield RedisCache(REDIS_URL, {})
    connection.flushdb()


def test_the_backend_keeps_one_client_and_works_as_djangos(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    redis_cache.set("page", (1, b"<html>", [("ETag", '"x"')]), 60)
    redis_cache.set("generation", 7, None)
    assert redis_cache.get_many(["generation", "page", "absent"]) == {
        "generation": 7,
        "page": (1, b"<html>", [("ETag", '"x"')]),
    }
    assert redis_cache.add("generation", 8) is False
    assert redis_cache.incr("generation") == 8
    redis_cache.delete("page")
    assert redis_cache.get("page") is None


def test_pieces_are_read_from_the_shared_cache_once_per_process(monkeypatch):
    """GenerationalCache: what one process wrote or read is served from its memory after;
    a value read is a copy; a piece written by another process is found in the shared cache."""
    from django.core.cache import caches

    shared, pieces = caches["default"], caches["pieces"]
    pieces.set("website:gen:1:menu", ["Home", "Blog"])
    assert shared.get("website:gen:1:menu") == ["Home", "Blog"]
    shared.set("website:gen:1:footer", {"links": 3})  # written by another process

    reads = []
    read = shared.get
    monkeypatch.setattr(shared, "get", lambda key, *a, **k: reads.append(key) or read(key, *a, **k))
    for _ in range(3):
        menu = pieces.get("website:gen:1:menu")
        assert pieces.get("website:gen:1:footer") == {"links": 3}
        assert pieces.get("website:gen:1:absent") is None
    assert reads == ["website:gen:1:footer"] + ["website:gen:1:absent"] * 3
    menu.append("changed by a caller")
    assert pieces.get("website:gen:1:menu") == ["Home", "Blog"]

    pieces.delete("website:gen:1:menu")
    assert pieces.get("website:gen:1:menu") is None
    assert shared.get("website:gen:1:menu") is None
