"""Django's Redis cache, made to survive Redis being away (issue 14, fault tests).

Onefix keeps nothing in the cache that it cannot lose (sessions and jobs live in the
database): rate-limit counters, the anonymous page cache, the worker heartbeat, view
counts waiting for their batch. So while Redis is down a cache call is a miss, not a
500: `get` returns the default, `set`/`add`/`delete` do nothing and say False, `incr`
says the key is missing (django-ratelimit then counts 1: limits are off, posting works),
and one warning is logged per minute, not per call. The broker (Celery) is a separate
connection with its own retries; the outbox's sweep re-sends what it could not.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
_last_warning = 0.0


def _warn(error: BaseException) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        log.warning("cache: Redis is not answering (%s); serving without the cache", error)


class TolerantRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except DOWN as error:
            _warn(error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except DOWN as error:
            _warn(error)
            return {}

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except DOWN as error:
            _warn(error)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except DOWN as error:
            _warn(error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except DOWN as error:
            _warn(error)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except DOWN as error:
            _warn(error)
            raise ValueError(f"Key '{key}' not found (the cache is away)") from error

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except DOWN as error:
            _warn(error)
            return False

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except DOWN as error:
            _warn(error)
            return False
