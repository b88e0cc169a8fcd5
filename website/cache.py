"""The cache backends: Django's Redis backend with one Redis client per connection pool, and
a process-local copy in front of the shared cache for entries that never change.

Django's backend makes a new `redis.Redis` client for every operation, which builds its
table of response callbacks each time: about a third of the CPU a page-cache hit costs
(website/pagecache.py). A client is safe to share between threads (each command takes a
connection from the pool), so this backend keeps one per pool.
"""

from django.core.cache import caches
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache

_MISSING = object()


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient


class GenerationalCache(BaseCache):
    """For entries whose keys carry the content generation (website/pagecache.py): once
    written, an entry never changes, so each process keeps a copy in its memory in front of
    the shared cache (LOCATION names the shared cache's alias). A page made of a dozen such
    pieces then asks the shared cache for none of them after its first visit, instead of one
    round trip each.

    Values are pickled in the local memory as in the shared cache, so a caller gets a copy
    it may change. Deleting or clearing works on the local copies and the shared entries;
    `clear()` empties the local copies only (the shared cache is the default one, cleared
    on its own).
    """

    def __init__(self, location: str, params: dict) -> None:
        super().__init__(params)
        self._shared_alias = location or "default"
        options = params.get("OPTIONS", {})
        self._local = LocMemCache(
            f"website-generational-{self._shared_alias}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": options},
        )

    @property
    def _shared(self) -> BaseCache:
        return caches[self._shared_alias]

    def get(self, key, default=None, version=None):
        value = self._local.get(key, _MISSING, version)
        if value is _MISSING:
            value = self._shared.get(key, _MISSING, version)
            if value is _MISSING:
                return default
            self._local.set(key, value, self.default_timeout, version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self._shared.set(key, value, timeout, version)
        self._local.set(key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        added = self._shared.add(key, value, timeout, version)
        if added:
            self._local.set(key, value, timeout, version)
        return added

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        self._local.touch(key, timeout, version)
        return self._shared.touch(key, timeout, version)

    def delete(self, key, version=None) -> bool:
        self._local.delete(key, version)
        return self._shared.delete(key, version)

    def has_key(self, key, version=None) -> bool:
        return self._local.has_key(key, version) or self._shared.has_key(key, version)

    def clear(self) -> None:
        self._local.clear()
