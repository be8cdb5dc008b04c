"""What is built once per generation of its data and kept in Django's cache.

A generation is a random token in the cache, set anew when the data changes (`bump`,
from a model's post_save and post_delete): a key made with it (`key`) is never read
again after a change, so nothing kept needs deleting. With a shared CACHE_URL every
process sees a bump at once; with the per-process default, the other processes keep
what they built until it expires. The bump is repeated once the change commits, so that
whatever was built from the old rows meanwhile is not read afterwards.
"""

import hashlib
import secrets

from django.core.cache import cache
from django.db import transaction
from django.utils import translation


def generation_key(name):
    """The cache key holding `name`'s current generation."""
    return f"{name}.generation"


def key(name, *parts):
    """A cache key for `name`'s current generation, the active language and `parts`."""
    generation = cache.get_or_set(generation_key(name), secrets.token_hex(8), None)
    state = "\x1f".join([generation, translation.get_language() or "", *map(str, parts)])
    return f"{name}:{hashlib.sha256(state.encode()).hexdigest()}"


def kept(name, parts, build, timeout):
    """`build()` once per generation of `name`, language and `parts`, for `timeout` s."""
    cache_key = key(name, *parts)
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, timeout)
    return value


def bump(name):
    """A new generation of `name` now, and again once the current transaction commits."""

    def new_generation():
        cache.set(generation_key(name), secrets.token_hex(8), None)

    new_generation()
    transaction.on_commit(new_generation, robust=True)
