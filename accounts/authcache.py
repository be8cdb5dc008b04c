"""The signed-in user and their second factor carried in the shared cache (issue 18).

Only when the default cache is shared by every web process (Redis or memcached:
settings.AUTH_CACHE_SECONDS > 0). With the per-process LocMem cache of development and
the test suite, nothing here is used and every request reads the database as before.

What is kept, under keys of the default cache:

- ``auth:user:<key id>:<user id>``: the user's columns without the password hash, their
  role names and unit ids (what accounts.backends.ModelBackend reads in one query), and
  the session auth hash (the HMAC of the password that every session of the user holds
  anyway: the sessions are in the same cache). ``<key id>`` changes with SECRET_KEY.
- ``auth:otp:<persistent id>``: a second-factor device's owner and whether it is
  confirmed, never its secret key.

Both for AUTH_CACHE_SECONDS at most. Every change that could change them (accounts.signals
lists them) replaces the key with a tombstone before it is written and again when the
transaction commits, in the cache that every host reads: so the next request on any host reads the
database. A cache entry is only ever added (``cache.add``), never overwritten, so a
request that read the row before the change cannot put its stale copy back over the
tombstone (which lives TOMBSTONE_SECONDS, far longer than a request's read-then-add).
"""

import functools
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.crypto import salted_hmac

log = logging.getLogger("pikassos.security")

TOMBSTONE = "invalidated"
TOMBSTONE_SECONDS = 30
# Raised when what is cached changes shape, so an older process's entries are not read.
VERSION = 1


def enabled():
    return settings.AUTH_CACHE_SECONDS > 0


@functools.lru_cache(maxsize=4)
def _key_id(secret_key):
    return salted_hmac("pikassos.authcache", "key id", secret=secret_key).hexdigest()[:12]


def user_key(user_id):
    return f"auth:user:{VERSION}:{_key_id(settings.SECRET_KEY)}:{user_id}"


def device_key(persistent_id):
    return f"auth:otp:{VERSION}:{_key_id(settings.SECRET_KEY)}:{persistent_id}"


def _read(key):
    """The cached value, or None to read the database (a miss, a tombstone, or a cache
    that does not answer: the database is always right)."""
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001  (a cache outage must not end every page)
        log.warning("auth cache unreachable, reading the database", exc_info=True)
        return None
    return None if value == TOMBSTONE else value


def _fill(key, value):
    try:
        cache.add(key, value, settings.AUTH_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        log.warning("auth cache unreachable, not filled", exc_info=True)


def invalidate(keys):
    """Tombstones the keys now (before the write) and again after the commit. Now: until
    the commit, other requests read the database (the old row) and cannot cache it. After
    the commit: the change is visible to every host's next request. A cache that does not
    answer now raises, so the change is not written rather than left unseen by the other
    hosts."""
    keys = list(keys)
    if not enabled() or not keys:
        return
    tombstones = dict.fromkeys(keys, TOMBSTONE)
    cache.set_many(tombstones, TOMBSTONE_SECONDS)

    def after_commit():
        try:
            cache.set_many(tombstones, TOMBSTONE_SECONDS)
        except Exception:  # noqa: BLE001  (committed; the tombstone set before stands)
            log.error("auth cache invalidation after commit failed", exc_info=True)

    transaction.on_commit(after_commit)


def invalidate_users(user_ids):
    invalidate(user_key(pk) for pk in set(user_ids) if pk is not None)


def invalidate_device(device):
    if device.pk is not None:  # a new device is in no session yet
        invalidate([device_key(device.persistent_id)])


# The user


def _cached_fields():
    return [f.attname for f in get_user_model()._meta.concrete_fields if f.attname != "password"]


def cached_user(user_id):
    """The user from the cache, without a query, or None."""
    entry = _read(user_key(user_id))
    if not isinstance(entry, dict):
        return None
    names = _cached_fields()
    if set(entry["fields"]) != set(names) or "organisation_id_list" not in entry:
        return None  # another version of the model or of this entry
    User = get_user_model()
    # from_db: a saved row's instance whose password is deferred (read from the
    # database only if some code asks for it, e.g. the SECRET_KEY_FALLBACKS check).
    user = User.from_db(DEFAULT_DB_ALIAS, names, [entry["fields"][name] for name in names])
    user.role_names = list(entry["role_names"])
    user.unit_id_list = list(entry["unit_id_list"])
    user.organisation_id_list = list(entry["organisation_id_list"])
    user.__dict__["_cached_session_auth_hash"] = entry["session_auth_hash"]
    user.__dict__["_from_auth_cache"] = True
    return user


def store_user(user):
    """Caches a user read by accounts.backends.ModelBackend (with its annotations)."""
    entry = {
        "fields": {name: getattr(user, name) for name in _cached_fields()},
        "role_names": [name for name in user.role_names if name],
        "unit_id_list": list(user.unit_id_list or ()),
        "organisation_id_list": list(user.organisation_id_list or ()),
        "session_auth_hash": user.get_session_auth_hash(),
    }
    _fill(user_key(user.pk), entry)


# The second factor


def cached_device_facts(persistent_id):
    """{"user_id", "confirmed"} of a device from the cache, or None."""
    facts = _read(device_key(persistent_id))
    return facts if isinstance(facts, dict) else None


def store_device(device):
    facts = {"user_id": device.user_id, "confirmed": bool(device.confirmed)}
    _fill(device_key(device.persistent_id), facts)
