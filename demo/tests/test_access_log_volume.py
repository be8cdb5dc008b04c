"""The access log's volume model (issue 18, part 2) writes the modelled rate in SQL, and
`make bench` marks its targets met or not."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo import access_log_volume
from guardianship.factories import GuardianshipRequestFactory
from guardianship.models import AccessLog

pytestmark = pytest.mark.django_db


def test_the_model_writes_a_days_views_and_fills_a_month_once(coordinator, monkeypatch):
    monkeypatch.setattr(access_log_volume, "LIST_VIEWS_PER_DAY", 30)
    monkeypatch.setattr(access_log_volume, "CASE_VIEWS_PER_DAY", 20)
    GuardianshipRequestFactory.create_batch(40, children=2)
    now = datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)

    written = access_log_volume.seed(4 / 365.25, now=now)

    # Whole days between: the 17th, 18th and 19th.
    assert written == 3 * (30 + 20)
    lists = AccessLog.objects.filter(action="list")
    assert lists.count() == 3 * 30
    assert {len(row.children) for row in lists} == {access_log_volume.CHILDREN_PER_LIST}
    assert all(len(row.children) == 1 for row in AccessLog.objects.filter(action="view"))
    # The month is filled: another run writes nothing more.
    assert access_log_volume.seed(4 / 365.25, now=now) == 0


def test_seed_demo_fills_the_log_for_the_years_asked(monkeypatch, settings):
    settings.DEBUG = True
    monkeypatch.setattr(access_log_volume, "LIST_VIEWS_PER_DAY", 3)
    monkeypatch.setattr(access_log_volume, "CASE_VIEWS_PER_DAY", 2)
    before = AccessLog.objects.count()
    call_command("seed_demo", access_log_years=3 / 365.25, stdout=io.StringIO())
    assert AccessLog.objects.count() - before >= 2 * 5
    assert AccessLog.objects.filter(at__lt=timezone.now() - datetime.timedelta(days=1)).exists()


def test_the_targets_are_marked_met_or_not():
    measured = {
        "years": 12,
        "list_view_bytes_today": 11_400,
        "list_view_bytes_issue": 13_700,
        "list_view_bytes_now": 970,
        "report_ms": 120.0,
        "report_rows": 4_000,
        "report_all_rows_database_ms": 300.0,
        "partitions": 149,
        "retire": {
            "month": "guardianship_accesslog_y2014m12",
            "older_months": 0,
            "seconds": 0.3,
            "rows": 155_000,
            "month_bytes": 108 * 2**20,
            "bytes_freed": 108 * 2**20,
            "dead_rows_left": 0,
        },
    }
    assert [t["met"] for t in access_log_volume.targets(measured)] == [True, False, True]
    measured["retire"]["dead_rows_left"] = 12
    assert not access_log_volume.targets(measured)[2]["met"]
