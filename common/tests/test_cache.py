"""The Redis cache backend (common.cache) on a real Redis; skipped when none answers."""

import os
import uuid

import pytest
from django.core.cache import caches

REDIS_URL = os.environ.get("AUTH_CACHE_TEST_REDIS", "redis://127.0.0.1:6379/7")


@pytest.fixture
def redis_cache(settings):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL} ({error})")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "redis": {
            "BACKEND": "common.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-cache-{uuid.uuid4().hex}",
        },
    }
    cache = caches["redis"]
    yield cache
    cache.delete_many(["a", "b"])


def test_values_are_kept_and_read_through_one_client_per_pool(redis_cache):
    redis_cache.set("a", {"user": 1}, 60)
    redis_cache.set_many({"b": 2}, 60)
    assert redis_cache.get("a") == {"user": 1}
    assert redis_cache.get_many(["a", "b"]) == {"a": {"user": 1}, "b": 2}
    client = redis_cache._cache.get_client(write=True)
    # Django's own backend builds a client per call (issue 18: a tenth of a page's CPU).
    assert redis_cache._cache.get_client("a", write=True) is client
    assert redis_cache.delete("a") and redis_cache.get("a") is None
