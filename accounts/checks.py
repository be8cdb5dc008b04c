"""`manage.py check --deploy`: the portal's own warnings about a production setup."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """A per-process cache in production: each gunicorn worker counts the rate limits
    (the question desk, the bulletin) by itself and keeps its own cached choices, and the
    auth cache (accounts.authcache) stays off. Allowed, so a warning: one small process
    works, only less well."""
    if settings.DEBUG or settings.CACHES["default"]["BACKEND"] not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "The default cache is kept in each process (CACHE_URL is unset): rate limits "
            "count per process and each process reads the session, the user and the "
            "second factor from the database on every request.",
            hint="Set CACHE_URL to a Redis that every web process reaches, e.g. "
            "redis://127.0.0.1:6379/0 (README, 'Performance and scaling').",
            id="accounts.W001",
        )
    ]
