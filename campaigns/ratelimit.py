"""The global sending limit for bulk mail, shared by every worker through Redis: at most N
messages in any one-second window and M per UTC day. Without Redis (a bare machine, eager
tasks) the same limit holds within the process.

`acquire()` either takes one message from the budget (returns 0) or says how many seconds to
wait before asking again; it never blocks and never takes a slot it does not grant."""

import logging
import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta

from django.conf import settings

logger = logging.getLogger(__name__)

# Sliding one-second window in a sorted set, and a counter per UTC day; atomic in Redis.
SCRIPT = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local per_second = tonumber(ARGV[1])
local per_day = tonumber(ARGV[2])
local member = ARGV[3]
if per_day > 0 then
  local used = tonumber(redis.call('GET', KEYS[2]) or '0')
  if used >= per_day then
    return {-1, 0}
  end
end
if per_second > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t - 1)
  if redis.call('ZCARD', KEYS[1]) >= per_second then
    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    return {0, tostring(tonumber(oldest[2]) + 1 - t)}
  end
  redis.call('ZADD', KEYS[1], t, member)
  redis.call('EXPIRE', KEYS[1], 2)
end
if per_day > 0 then
  redis.call('INCR', KEYS[2])
  redis.call('EXPIRE', KEYS[2], 172800)
end
return {1, 0}
"""


def _seconds_to_midnight() -> float:
    now = datetime.now(UTC)
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (tomorrow - now).total_seconds()


class LocalLimiter:
    """The same limit for one process."""

    def __init__(self, per_second: int, per_day: int) -> None:
        self.per_second, self.per_day = per_second, per_day
        self.window: deque[float] = deque()
        self.day, self.used = "", 0
        self.lock = threading.Lock()

    def acquire(self) -> float:
        with self.lock:
            now = time.time()
            day = datetime.now(UTC).strftime("%Y%m%d")
            if day != self.day:
                self.day, self.used = day, 0
            if self.per_day and self.used >= self.per_day:
                return _seconds_to_midnight()
            if self.per_second:
                while self.window and self.window[0] <= now - 1:
                    self.window.popleft()
                if len(self.window) >= self.per_second:
                    return max(0.001, self.window[0] + 1 - now)
                self.window.append(now)
            self.used += 1
            return 0.0


class RedisLimiter:
    def __init__(self, url: str, per_second: int, per_day: int, prefix: str = "email-rate") -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self.script = self.client.register_script(SCRIPT)
        self.per_second, self.per_day = per_second, per_day
        self.prefix = prefix
        self.counter = 0
        self.fallback = LocalLimiter(per_second, per_day)

    def acquire(self) -> float:
        import redis

        day = datetime.now(UTC).strftime("%Y%m%d")
        self.counter += 1
        member = f"{time.time_ns()}:{id(self)}:{self.counter}"
        try:
            granted, wait = self.script(
                keys=[f"{self.prefix}:second", f"{self.prefix}:day:{day}"],
                args=[self.per_second, self.per_day, member],
            )
        except redis.RedisError as error:
            logger.warning("Rate limiter falls back to this process: %s", error)
            return self.fallback.acquire()
        if int(granted) == 1:
            return 0.0
        if int(granted) == -1:
            return _seconds_to_midnight()
        return max(0.001, float(wait))


class NoLimit:
    def acquire(self) -> float:
        return 0.0


_limiter = None
_limiter_key = None


def get_limiter():
    """The limiter the settings ask for, made once per process."""
    global _limiter, _limiter_key
    per_second, per_day = settings.EMAIL_RATE_PER_SECOND, settings.EMAIL_RATE_PER_DAY
    url = settings.EMAIL_RATE_REDIS_URL
    key = (per_second, per_day, url)
    if _limiter is None or key != _limiter_key:
        if not per_second and not per_day:
            _limiter = NoLimit()
        elif url.startswith(("redis://", "rediss://")):
            _limiter = RedisLimiter(url, per_second, per_day)
        else:
            _limiter = LocalLimiter(per_second, per_day)
        _limiter_key = key
    return _limiter
