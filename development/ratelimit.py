"""The rate limit of the public forms: at most DEVELOPMENT_QUESTIONS_PER_HOUR questions
(and BULLETIN_SUBSCRIPTIONS_PER_HOUR bulletin subscriptions) an hour from one address
(anonymous visitors) or one account, each form counted apart.

A counter per client in Django's cache, in fixed one-hour windows (`cache.add` then
`cache.incr`, atomic in every shared cache backend). The client's address is found as
django-axes finds it for logins (TRUSTED_PROXY_COUNT, settings.py) and is never stored
as such: the cache key holds a keyed hash of it. With several web processes, CACHES must
be a shared cache for the limit to hold across them.
"""

import hashlib
import hmac
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def _client(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{get_client_ip_address(request) or 'unknown'}"


def _key(request, scope):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), _client(request).encode(), hashlib.sha256
    ).hexdigest()[:32]
    window = int(time.time() // WINDOW_SECONDS)
    return f"development:{scope}:{window}:{digest}"


def allow(request, scope="ask", limit=None) -> bool:
    """Count this question (or subscription, scope="subscribe"); False when the client has
    used up the hour's `limit` (DEVELOPMENT_QUESTIONS_PER_HOUR by default)."""
    key = _key(request, scope)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= (settings.DEVELOPMENT_QUESTIONS_PER_HOUR if limit is None else limit)
