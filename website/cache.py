"""Django's Redis cache backend with one Redis client per connection pool.

Django's backend makes a new `redis.Redis` client for every operation, which builds its
table of response callbacks each time: about a third of the CPU a page-cache hit costs
(website/pagecache.py). A client is safe to share between threads (each command takes a
connection from the pool), so this backend keeps one per pool.
"""

from django.core.cache.backends import redis as django_redis


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
