"""The worker runs the schedule itself and records each run; job_health() tells when
each job last succeeded and flags the late ones (issue 17, part 4)."""

import os
import signal
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from common import jobs
from common.models import JobRun

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
MONDAY_0700 = datetime(2026, 11, 23, 7, 0, tzinfo=HELSINKI)


def at(*args):
    return datetime(*args, tzinfo=HELSINKI)


@pytest.fixture
def schedule(settings):
    settings.WORKER_SCHEDULE = {
        "send_digest": {"cron": "0 7 * * 1", "command": ["send_digest"]},
        "apply_retention": {"cron": "30 2 * * *", "command": ["apply_retention"]},
    }
    settings.WORKER_LATE_MINUTES = 60
    return settings.WORKER_SCHEDULE


def test_the_weekly_digest_is_due_on_monday_at_seven_helsinki_time(schedule):
    with time_machine.travel(at(2026, 11, 20, 12, 0), tick=False):  # a Friday
        jobs.run("send_digest")
    assert "send_digest" not in jobs.due(at(2026, 11, 23, 6, 59))
    assert "send_digest" in jobs.due(MONDAY_0700)
    # Summer time too: 07:00 is 04:00 UTC in June, 05:00 UTC in November.
    assert jobs.next_time("0 7 * * 1", at(2026, 6, 1, 8, 0)).utcoffset().seconds == 3 * 3600


def test_a_job_never_run_is_due_at_once_and_runs_recorded(schedule, coordinator, sent_mail):
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        call_command("worker", "--once")
    runs = {r.name: r for r in JobRun.objects.all()}
    assert set(runs) == {"send_digest", "apply_retention"}
    assert all(r.ok and r.finished_at >= r.started_at for r in runs.values())
    assert "access-log rows" in runs["apply_retention"].message
    # Until the next scheduled time nothing more is due.
    assert jobs.due(at(2026, 11, 25, 2, 29)) == []
    assert jobs.due(at(2026, 11, 25, 2, 30)) == ["apply_retention"]


def test_a_missed_run_is_caught_up_once(schedule):
    with time_machine.travel(at(2026, 11, 16, 7, 0, 5), tick=False):
        jobs.run("send_digest")
    # The worker was stopped over two Mondays; started on Wednesday it runs the digest once.
    wednesday = at(2026, 12, 2, 9, 0)
    assert "send_digest" in jobs.due(wednesday)
    with time_machine.travel(wednesday, tick=False):
        jobs.run("send_digest", if_due_at=wednesday)
        assert jobs.run("send_digest", if_due_at=wednesday) is None
    assert JobRun.objects.filter(name="send_digest").count() == 2


def test_a_failing_job_is_recorded_with_its_error_and_the_worker_goes_on(schedule, settings):
    settings.WORKER_SCHEDULE["apply_retention"]["command"] = ["apply_retention", "--years", "0"]
    with time_machine.travel(at(2026, 11, 24, 10, 0), tick=False):
        call_command("worker", "--once")
    failed = JobRun.objects.get(name="apply_retention")
    assert failed.ok is False
    assert failed.message == "CommandError: The retention periods must be at least one year."
    assert JobRun.objects.get(name="send_digest").ok is True


def test_job_health_flags_a_job_whose_run_did_not_succeed(schedule):
    with time_machine.travel(at(2026, 11, 23, 2, 30, 1), tick=False):
        jobs.run("apply_retention")
    with time_machine.travel(MONDAY_0700, tick=False):
        jobs.run("send_digest")
    health = jobs.job_health(at(2026, 11, 24, 3, 0))
    # Retention was due at 02:30 today; within the hour's grace it is not late yet.
    assert health["apply_retention"]["late"] is False
    assert health["send_digest"]["late"] is False
    assert health["send_digest"]["last_success"] >= MONDAY_0700
    assert health["send_digest"]["next"] == at(2026, 11, 30, 7, 0)
    # An hour after: today's run has not happened, so it is late.
    assert jobs.job_health(at(2026, 11, 24, 3, 31))["apply_retention"]["late"] is True


def test_a_job_that_never_ran_is_late(schedule):
    health = jobs.job_health(at(2026, 11, 24, 12, 0))
    assert health["send_digest"] == {
        "last_success": None,
        "late": True,
        "next": at(2026, 11, 30, 7, 0),
    }


def test_healthz_says_when_each_job_last_succeeded_and_which_are_late(client, schedule):
    with time_machine.travel(at(2026, 11, 24, 2, 30, 1), tick=False):
        jobs.run("apply_retention")
    with time_machine.travel(at(2026, 11, 24, 12, 0), tick=False):
        body = client.get(reverse("healthz")).json()
    assert body["status"] == "ok"
    assert body["jobs"]["apply_retention"]["late"] is False
    assert body["jobs"]["apply_retention"]["last_success"].startswith("2026-11-24T")
    assert body["jobs"]["send_digest"] == {"last_success": None, "late": True}
    assert body["late_jobs"] == ["send_digest"]


def test_the_worker_stops_cleanly_on_sigterm(schedule, settings):
    settings.WORKER_TICK_SECONDS = 0.05
    previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    timer = threading.Timer(0.5, os.kill, [os.getpid(), signal.SIGTERM])
    timer.start()
    try:
        call_command("worker")  # returns only when the signal stopped its loop
    finally:
        timer.cancel()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    assert JobRun.objects.filter(ok=True).count() == 2
