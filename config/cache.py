"""A Redis cache that turns into "nothing cached" while Redis cannot be reached.

The cache only saves work; Redis restarting or unreachable must not turn pages into errors.
Django's RedisCache raises redis's ConnectionError / TimeoutError; here reads miss and writes
are dropped, with a warning in the log. incr/decr still raise: a counter behind a rate limit
must not quietly start again from zero.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)


def _fail_soft(method, fallback):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (ConnectionError, TimeoutError) as error:
            logger.warning("Cache unavailable, %s skipped: %s", method.__name__, error)
            return fallback(*args, **kwargs)

    return wrapper


def _nothing(*args, **kwargs):
    return None


class FailSoftRedisCache(RedisCache):
    get = _fail_soft(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _fail_soft(RedisCache.get_many, lambda *args, **kwargs: {})
    has_key = _fail_soft(RedisCache.has_key, lambda *args, **kwargs: False)
    add = _fail_soft(RedisCache.add, lambda *args, **kwargs: False)
    set = _fail_soft(RedisCache.set, _nothing)
    set_many = _fail_soft(RedisCache.set_many, lambda data, *args, **kwargs: list(data))
    touch = _fail_soft(RedisCache.touch, lambda *args, **kwargs: False)
    delete = _fail_soft(RedisCache.delete, lambda *args, **kwargs: False)
    delete_many = _fail_soft(RedisCache.delete_many, _nothing)
    clear = _fail_soft(RedisCache.clear, lambda: False)
