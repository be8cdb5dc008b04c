"""The worker's scheduled jobs: when each is due, running it with a record, and whether
one is late.

The schedule is declared once, in `settings.WORKER_SCHEDULE`: a job's name, its cron
expression (in `TIME_ZONE`, so "0 7 * * 1" is Monday 07:00 Helsinki time, summer or
winter) and the management command with its arguments. The jobs themselves are
management commands of their apps, called by name, so this floor imports none of them.

A job is **due** when a scheduled time has passed since its last run started; a job that
has never run is due at once, so a fresh installation shows at its first tick that the
worker runs. A missed time (the worker was stopped) is caught up once, not once per miss.
A job is **late** when its latest scheduled time, `WORKER_LATE_MINUTES` ago or more, has no
successful run since: the worker stopped, the job failed, or it never ran.
"""

import io
import logging
import zlib
from datetime import timedelta

from cronsim import CronSim
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from common.models import JobRun

log = logging.getLogger("pikassos.worker")

# What a run's record keeps of the command's output.
MESSAGE_CHARS = 2000


def schedule():
    return settings.WORKER_SCHEDULE


def last_time(cron, now):
    """The latest scheduled time at or before `now`."""
    after = timezone.localtime(now).replace(microsecond=0) + timedelta(seconds=1)
    return next(CronSim(cron, after, reverse=True))


def next_time(cron, now):
    """The first scheduled time after `now`."""
    return next(CronSim(cron, timezone.localtime(now)))


def last_run(name):
    return JobRun.objects.filter(name=name).order_by("-started_at").first()


def _lock_key(name):
    return zlib.crc32(f"pikassos-job:{name}".encode())


def _is_due(name, now):
    run_ = last_run(name)
    return run_ is None or last_time(schedule()[name]["cron"], now) > run_.started_at


def due(now):
    """The names of the jobs to run now, in the schedule's order."""
    return [name for name in schedule() if _is_due(name, now)]


def run(name, *, if_due_at=None):
    """Run job `name` now and record it; the finished JobRun, or None when another
    worker is running the same job (a PostgreSQL advisory lock keeps them apart) or, with
    `if_due_at`, has run it since it became due."""
    command = schedule()[name]["command"]
    key = _lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        if not cursor.fetchone()[0]:
            log.info("job=%s skipped: running elsewhere", name)
            return None
    try:
        if if_due_at is not None and not _is_due(name, if_due_at):
            return None
        record = JobRun.objects.create(name=name, started_at=timezone.now())
        log.info("job=%s started", name)
        out = io.StringIO()
        try:
            call_command(*command, stdout=out, stderr=io.StringIO())
        except Exception as exc:  # noqa: BLE001 - a failed job is recorded, the worker goes on
            # The error's first line only: a database error's detail may quote a row.
            first_line = (str(exc).strip().splitlines() or [""])[0]
            record.ok, record.message = False, f"{type(exc).__name__}: {first_line}"
            log.exception("job=%s failed", name)
        else:
            record.ok, record.message = True, out.getvalue().strip()
            log.info("job=%s succeeded", name)
        record.message = record.message[-MESSAGE_CHARS:]
        record.finished_at = timezone.now()
        record.save(update_fields=["ok", "message", "finished_at"])
        return record
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def job_health(now=None):
    """Each scheduled job's last success and whether it is late, for /healthz or an
    admin page: {name: {"last_success": datetime or None, "late": bool, "next": datetime}}."""
    now = now or timezone.now()
    grace = timedelta(minutes=settings.WORKER_LATE_MINUTES)
    health = {}
    for name, job in schedule().items():
        success = (
            JobRun.objects.filter(name=name, ok=True)
            .order_by("-started_at")
            .values_list("started_at", "finished_at")
            .first()
        )
        expected = last_time(job["cron"], now - grace)
        health[name] = {
            "last_success": success[1] if success else None,
            "late": success is None or success[0] < expected,
            "next": next_time(job["cron"], now),
        }
    return health
