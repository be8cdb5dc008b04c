"""The reminder before a guardian's mandate ends (issue 14, part 1: the portal reminds
before the mandate ends, when the child turns 18 or the order's end date comes)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from guardianship.enums import AccessAction, State
from guardianship.factories import AssignmentFactory, ChildFactory
from guardianship.models import AccessLog

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def case(coordinator):
    coordinator.email = "coord@pikassos.example.invalid"
    coordinator.save()
    assignment = AssignmentFactory(appointed=True, request__children=0)
    request = assignment.request
    ChildFactory(request=request, first_name="Salainen", identity_code="010115A998H")
    request.mandate_ends_on = TODAY + datetime.timedelta(days=30)
    request.save()
    return assignment


def test_the_workers_coordinators_and_guardian_hear_once_before_the_mandate_ends(
    case, sent_mail, settings
):
    settings.GUARDIANSHIP_MANDATE_REMINDER_DAYS = 60
    request = case.request
    call_command("remind_mandate_ends")
    sent = sent_mail()
    recipients = {address for mail in sent for address in mail.to}
    assert {"coord@pikassos.example.invalid", case.guardian.email, request.worker_email} <= (
        recipients
    )
    ends = request.mandate_ends_on
    for mail in sent:
        assert request.reference in mail.subject
        assert f"{ends.day}.{ends.month}.{ends.year}" in mail.body
        assert "Salainen" not in mail.body and "010115A998H" not in mail.body
    disclosed = AccessLog.objects.filter(action=AccessAction.DISCLOSE, request=request)
    assert set(disclosed.values_list("recipient", flat=True)) == recipients
    call_command("remind_mandate_ends")
    assert len(sent_mail()) == len(sent)  # once per end date


def test_a_moved_end_date_is_reminded_again(case, sent_mail):
    call_command("remind_mandate_ends")
    first = len(sent_mail())
    request = case.request
    request.refresh_from_db()
    request.mandate_ends_on = TODAY + datetime.timedelta(days=10)
    request.save()
    call_command("remind_mandate_ends")
    assert len(sent_mail()) == 2 * first


@pytest.mark.parametrize(
    ("days_left", "state"),
    [(90, State.APPOINTED), (-1, State.APPOINTED), (30, State.ENDED)],
    ids=["not-yet", "already-past", "ended"],
)
def test_no_reminder_too_early_too_late_or_for_an_ended_case(case, sent_mail, days_left, state):
    request = case.request
    request.mandate_ends_on = TODAY + datetime.timedelta(days=days_left)
    request.state = state
    request.save()
    call_command("remind_mandate_ends", days=60)
    assert sent_mail() == []


def test_the_worker_runs_it_daily(settings):
    assert settings.WORKER_SCHEDULE["remind_mandate_ends"]["cron"] == "0 6 * * *"
