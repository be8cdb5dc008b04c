"""apply_retention anonymises closed requests after the period and purges the old access
log, keeping what the statistics count. (The claims and support contacts of the same
requests: fees/tests/test_retention.py, support/tests/test_retention.py.)"""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from guardianship.enums import AccessAction, AssignmentStatus, State
from guardianship.factories import (
    AssignmentFactory,
    ChildFactory,
    GuardianFactory,
    GuardianshipRequestFactory,
)
from guardianship.models import AccessLog, Assignment, Child, GuardianshipRequest, RequestEvent
from guardianship.retention import purge_access_log

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=7 * 365)


def closed_request(state, closed_at, code):
    request = GuardianshipRequestFactory(
        state=state,
        state_changed_at=closed_at,
        submitted_at=closed_at - datetime.timedelta(days=100),
        end_reason="Perhe muutti Ruotsiin.",
        custodian_names="Maija Mallikas",
        children=0,
    )
    ChildFactory(request=request, first_name="Aino", last_name="Saloranta", identity_code=code)
    RequestEvent.objects.create(
        request=request, kind="note", actor=request.created_by, text="Äiti soitti.", at=closed_at
    )
    return request


@pytest.fixture
def data(sw_pori):
    old = closed_request(State.ENDED, LONG_AGO, "010115A998H")
    cancelled = closed_request(State.CANCELLED, LONG_AGO, "150317A998N")
    recent = closed_request(
        State.ENDED, timezone.now() - datetime.timedelta(days=30), "100190-999P"
    )
    AssignmentFactory(
        request=old,
        guardian=GuardianFactory(),
        status=AssignmentStatus.ENDED,
        proposed_by=sw_pori,
        end_reason="Asia päättyi, Aino täysi-ikäinen.",
    )
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                username="old",
                action=AccessAction.VIEW,
                at=timezone.now() - datetime.timedelta(days=13 * 365),
            ),
            AccessLog(
                username="young",
                action=AccessAction.VIEW,
                at=timezone.now() - datetime.timedelta(days=2 * 365),
            ),
        ]
    )
    return old, cancelled, recent


def statistics():
    return (
        list(
            GuardianshipRequest.objects.values("state", "matter")
            .annotate(n=Count("pk"))
            .order_by("state")
        ),
        list(
            Child.objects.values("home_municipality", "mother_tongue")
            .annotate(n=Count("pk"))
            .order_by("home_municipality")
        ),
        RequestEvent.objects.count(),
    )


def snapshot():
    return (
        list(Child.objects.order_by("pk").values_list("first_name", "last_name", "identity_code")),
        list(GuardianshipRequest.objects.order_by("pk").values_list("worker_name", "end_reason")),
        AccessLog.objects.count(),
    )


def test_a_dry_run_changes_nothing(data, capsys):
    before = snapshot()
    call_command("apply_retention", dry_run=True, years=6, log_years=12)
    out = capsys.readouterr().out
    assert "2 closed requests" in out and "1 access-log rows" in out
    assert snapshot() == before


def test_a_real_run_removes_names_and_codes_but_keeps_the_counts(data):
    old, cancelled, recent = data
    counts = statistics()
    call_command("apply_retention", years=6, log_years=12)
    for request in (old, cancelled):
        child = request.children.get()
        assert (child.first_name, child.identity_code, child.date_of_birth) == ("–", "", None)
        assert child.anonymised_at is not None
        request.refresh_from_db()
        assert "Ruotsiin" not in request.end_reason and request.worker_email == ""
        assert request.custodian_names == "–"
        assert not request.events.exclude(text="").exists()
    assert Assignment.objects.get(request=old).end_reason == ""
    # The recent one is untouched.
    assert recent.children.get().identity_code == "100190-999P"
    assert statistics() == counts
    # The access log lost only the row past its period.
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["young"]


def test_running_twice_does_nothing_more(data):
    call_command("apply_retention", years=6, log_years=12)
    after = snapshot()
    call_command("apply_retention", years=6, log_years=12)
    assert snapshot() == after


def test_the_access_log_cannot_be_purged_younger_than_a_year(data):
    call_command("apply_retention", years=6, log_years=1)
    assert AccessLog.objects.filter(username="young").count() == 0
    AccessLog.objects.create(username="today", action=AccessAction.VIEW)
    purge_access_log(0)
    assert AccessLog.objects.filter(username="today").exists()
