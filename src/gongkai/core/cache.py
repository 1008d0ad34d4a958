"""The shared cache: a database table when no Redis is configured, shared by every worker; Redis otherwise.

Rate limits live in the cache, so a per-process cache would give each web worker its own
budget and forget it on restart. The database table holds across workers and restarts; this
backend adds the one thing Django's stock database cache lacks for counters: an `incr` that is
atomic across processes and keeps the key's expiry (the stock one reads, then re-sets the value
with the default timeout, so concurrent hits are lost and a one-hour window shrinks to minutes).
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache as StockDatabaseCache
from django.core.cache.backends.redis import RedisCache as StockRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now

TABLE = "gongkai_cache"


class DatabaseCache(StockDatabaseCache):
    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        """One key in one indexed SELECT that leaves expired rows out.

        The page cache reads its content version on every cached hit (portal.pagefront); the stock
        `get` goes through `get_many`, which builds its SQL and the ORM's datetime converters on
        every call (about half a hit's CPU). An expired row is left for the culling of `set`.
        """
        key = self.make_and_validate_key(key, version=version)
        connection = connections[router.db_for_read(self.cache_model_class)]
        quote_name = connection.ops.quote_name
        now = tz_now().replace(tzinfo=None)  # naive UTC, adapted as `incr` does
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote_name('value')} FROM {quote_name(self._table)} "
                f"WHERE {quote_name('cache_key')} = %s AND {quote_name('expires')} >= %s",
                [key, connection.ops.adapt_datetimefield_value(now)],
            )
            row = cursor.fetchone()
        if row is None:
            return default
        return pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, value_col, key_col = quote_name(self._table), quote_name("value"), quote_name("cache_key")
        now = tz_now().replace(microsecond=0, tzinfo=None)
        # PostgreSQL locks the row; SQLite's write transactions are BEGIN IMMEDIATE (conf/base.py),
        # which serialises them across processes.
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {value_col} FROM {table} WHERE {key_col} = %s AND {quote_name('expires')} > %s{lock}",
                [key, connection.ops.adapt_datetimefield_value(now)],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value: Any = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET {value_col} = %s WHERE {key_col} = %s", [encoded, key])
        return value

    def decr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        return self.incr(key, -delta, version)


def ensure_cache_table(using: str = "default", **kwargs: Any) -> None:
    """Create the database cache table if the configured cache needs it (idempotent).

    Runs after every `migrate` (so `make demo` and the test database get it) and before `gongkai serve`.
    """
    from django.conf import settings
    from django.core.management import call_command

    if any(conf["BACKEND"].endswith("DatabaseCache") for conf in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)


class _RedisClients(RedisCacheClient):
    """Django's Redis client builds a new `redis.Redis` around its connection pool for every
    operation (a dict of ~170 response callbacks each time: most of a page-cache hit's CPU, which
    reads the content version on every request). One client per pool serves every thread: a
    `redis.Redis` takes a connection from its pool for each command, and the pool starts afresh in
    a forked process."""

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(index)
        if client is None:
            client = clients.setdefault(index, self._client(connection_pool=self._get_connection_pool(write)))
        return client


class RedisCache(StockRedisCache):
    """The cache when CACHE_URL names a Redis: Django's, with one client per connection pool."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _RedisClients
