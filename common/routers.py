"""Sends the statistics' reads to a read replica when DATABASE_REPLICA_URL is set.

Only code inside `reading_from_replica()` reads from the replica: the statistics are
aggregates that tolerate a replica's small lag; everything a user acts on reads the
primary, so nobody sees their own change missing.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_use_replica = ContextVar("use_replica", default=False)


@contextmanager
def reading_from_replica():
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


def read_alias():
    return REPLICA if _use_replica.get() and REPLICA in settings.DATABASES else "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
