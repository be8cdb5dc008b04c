"""What /healthz checks, each bounded in time whatever the database does.

A kept connection to a database server that hangs (a stuck disk, a stopped process)
waits forever: the server's own timeouts cannot fire, and the kernel still acknowledges
the TCP packets, so keepalives do not notice either. The probe therefore opens a short
connection of its own in a thread and the caller waits at most HEALTHZ_TIMEOUT seconds;
while one probe is still stuck, the next answers "no answer" at once instead of piling
up threads.
"""

import threading

import psycopg
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader

_stuck = threading.Lock()
_disk = None


def disk_migrations():
    """(app, name) of every migration in the code; read once, the files do not change
    while the process runs."""
    global _disk
    if _disk is None:
        _disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return _disk


def probe(params):
    """The checks, on a connection of their own: has the application's role the
    privileges a login needs (HEALTHZ_PRIVILEGES: the sessions, the access-log insert that
    every child's page makes), and are the code's migrations applied? A restore that
    dropped the grants (pg_restore --no-privileges) or a deploy that skipped `migrate`
    fails here. `params` are the connection's (Django's connections are per thread)."""
    params["connect_timeout"] = max(1, round(settings.HEALTHZ_TIMEOUT))
    with psycopg.connect(**params, autocommit=True) as conn, conn.transaction():
        # SET LOCAL: nothing leaks into a pooled server session (PgBouncer).
        timeout_ms = int(settings.HEALTHZ_TIMEOUT * 1000)
        conn.execute(f"SET LOCAL statement_timeout = {timeout_ms}")
        granted = conn.execute(
            "SELECT bool_and(has_table_privilege(current_user, t, p)) "
            "FROM unnest(%s::text[], %s::text[]) AS x(t, p)",
            [
                [apps.get_model(label)._meta.db_table for label in settings.HEALTHZ_PRIVILEGES],
                list(settings.HEALTHZ_PRIVILEGES.values()),
            ],
        ).fetchone()[0]
        applied = set(conn.execute("SELECT app, name FROM django_migrations").fetchall())
    pending = disk_migrations() - applied
    return {
        "database": "ok",
        "privileges": "ok" if granted else "missing",
        "migrations": "ok" if not pending else f"{len(pending)} not applied",
    }


def check(alias="default"):
    """{check: result}; every value "ok" when the portal can serve."""
    if not _stuck.acquire(blocking=False):
        return {"database": "no answer"}
    result, params = {}, connections[alias].get_connection_params()

    def run():
        try:
            result.update(probe(params))
        except psycopg.errors.InsufficientPrivilege:
            result.update(database="ok", privileges="missing")
        except psycopg.OperationalError:
            # Refused, timed out, or the server went away: what an operator calls down.
            result["database"] = "down"
        except psycopg.Error as error:
            result["database"] = type(error).__name__
        finally:
            _stuck.release()

    thread = threading.Thread(target=run, name="healthz-probe", daemon=True)
    thread.start()
    thread.join(settings.HEALTHZ_TIMEOUT)
    if thread.is_alive():
        return {"database": "no answer"}
    return result
