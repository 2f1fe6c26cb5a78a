"""Django's Redis cache, made to degrade to no cache while Redis is away.

Everything in the cache can be rebuilt from the database: pages, chart data,
the page cache's bookkeeping. So a cache that cannot be reached, or refuses a
write (a full Redis with no eviction answers "OOM"), is treated as a miss and
a write that did not happen, and the site carries on from the database. The
failure is logged once, not once per request.

After a connection failure the process leaves Redis alone for
``RETRY_SECONDS`` (a small circuit breaker), so that while Redis is away a
request pays nothing for it, not a connect timeout per cache call. Short socket
timeouts (the ``socket_connect_timeout`` and ``socket_timeout`` options, passed
to redis-py) bound what the first request after a failure pays.

``clear()`` deletes this site's keys only (those under its ``KEY_PREFIX``),
never the whole Redis database, which other sites may share.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Per process and per server address, shared by the threads' cache objects:
# the monotonic time before which the server is not tried again.
_retry_at: dict[str, float] = {}
_lock = threading.Lock()


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, with one redis-py client per connection pool.

    Django builds a new redis-py client for every cache call, and its
    constructor fills a table of some 170 reply callbacks: about 0.1 ms, a
    quarter of what serving a cached page costs. A client is safe to share
    between threads (each command takes a connection from the pool), so one
    per pool is kept.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS", {}))}
        self.retry_seconds = float(params["OPTIONS"].pop("RETRY_SECONDS", 5))
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
        self._breaker_key = ",".join(self._servers)

    # The circuit breaker.

    def available(self) -> bool:
        """False while the breaker is open: Redis failed a moment ago."""
        return time.monotonic() >= _retry_at.get(self._breaker_key, 0.0)

    def _failed(self, operation: str, error: Exception) -> None:
        with _lock:
            first = self.available()
            _retry_at[self._breaker_key] = time.monotonic() + self.retry_seconds
        if first:
            logger.warning(
                "Cache unavailable (%s: %s); serving without it for %g s",
                operation,
                error,
                self.retry_seconds,
            )

    def _recovered(self) -> None:
        if _retry_at.pop(self._breaker_key, None) is not None:
            logger.warning("Cache available again")

    def _call(self, operation: str, fallback, function, *args):
        if not self.available():
            return fallback
        try:
            result = function(*args)
        except (RedisConnectionError, RedisTimeoutError) as error:
            self._failed(operation, error)
            return fallback
        except RedisError as error:
            # Redis answered, with a refusal: out of memory with no eviction,
            # a read-only replica. The site works without this write.
            logger.warning("Cache refused %s: %s", operation, error)
            return fallback
        return result

    def ping(self) -> bool:
        """Whether Redis answers now, whatever the breaker says (for /healthz)."""
        try:
            self._cache.get_client(write=True).ping()
        except RedisError as error:
            self._failed("ping", error)
            return False
        self._recovered()
        return True

    # Django's cache API, each call guarded.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        # An absent key raises ValueError, as Django's caches do; with Redis
        # away, every key is absent.
        missing = object()
        result = self._call("incr", missing, super().incr, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._call("clear", False, self._delete_own_keys)

    def _delete_own_keys(self) -> bool:
        """Delete every key under this site's prefix (Django's own ``clear()``
        would empty the whole Redis database)."""
        client = self._cache.get_client(write=True)
        pattern = _glob_escape(self.make_key("")[: -len(f"{self.version}:")]) + "*"
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                client.unlink(*batch)
                batch.clear()
        if batch:
            client.unlink(*batch)
        return True


def _glob_escape(text: str) -> str:
    """``text`` matched literally in a Redis glob pattern."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)
