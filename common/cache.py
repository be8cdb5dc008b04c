"""Django's Redis cache with one redis-py client per connection pool.

Django's RedisCacheClient.get_client builds a new `redis.Redis` for every cache call, and
redis-py's constructor fills a table of some 170 response callbacks each time: with the
session, the signed-in user and the second factor read from the cache on every request
(accounts.authcache), that was about a tenth of a signed-in page's CPU (profiled for
issue 18). A client is safe to share between threads (it takes a connection from its
pool for each command), so one per pool is kept for the process.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(redis.RedisCache):
    """settings.CACHES' backend for a CACHE_URL of redis://."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
