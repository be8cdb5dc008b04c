"""Every e-mail that names a request is a disclosure (703/2023): the on_commit that sends
it writes one access-log row per recipient, with the recipient's part as the basis and the
user whose step caused it (or "system" for the weekly digest)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.factories import make_user
from accounts.roles import Role
from guardianship import services
from guardianship.enums import AccessAction, AccessBasis, AccessOutcome, State
from guardianship.factories import GuardianFactory, GuardianshipRequestFactory
from guardianship.models import AccessLog

pytestmark = pytest.mark.django_db


def disclosures():
    return [
        (r.request_id, r.child_id, r.recipient, r.basis, r.user, r.username, r.role)
        for r in AccessLog.objects.filter(action=AccessAction.DISCLOSE).order_by("id")
    ]


@pytest.fixture
def coordinators(coordinator):
    other = make_user(Role.COORDINATOR, ["pikassos"], username="olli-coordinator")
    return [coordinator, other]


def test_each_email_of_the_workflow_is_logged_with_its_recipients_part(
    coordinators, sw_pori, guardian_user, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = sorted(c.email for c in coordinators)
    draft = GuardianshipRequestFactory(
        state=State.DRAFT, submitted_at=None, created_by=sw_pori, worker_email="sanna@pori.fi"
    )
    guardian = GuardianFactory(user=guardian_user, email="gina@example.invalid")
    coordinator = coordinators[0]

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_request(draft, by=sw_pori)
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.propose_guardian(draft, guardian, by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_proposal(assignment, by=guardian_user)

    assert len(mailoutbox) == 3
    r = draft.pk
    assert disclosures() == [
        # The new request, to every coordinator, caused by the social worker.
        (r, None, first, AccessBasis.COORDINATOR, sw_pori, sw_pori.username, "social_worker"),
        (r, None, second, AccessBasis.COORDINATOR, sw_pori, sw_pori.username, "social_worker"),
        # The proposal, to the guardian, caused by the coordinator.
        (
            r,
            None,
            "gina@example.invalid",
            AccessBasis.PROPOSED_GUARDIAN,
            coordinator,
            coordinator.username,
            "coordinator",
        ),
        # The consent, to the social workers, caused by the guardian.
        *[
            (
                r,
                None,
                email,
                AccessBasis.RESPONSIBLE_WORKER,
                guardian_user,
                guardian_user.username,
                "guardian",
            )
            for email in sorted(["sanna@pori.fi", sw_pori.email])
        ],
    ]
    assert all(
        row.outcome == AccessOutcome.ALLOWED and row.path == ""
        for row in AccessLog.objects.filter(action=AccessAction.DISCLOSE)
    )


def test_the_disclosure_is_written_with_the_send_after_the_commit(
    coordinator, sw_pori, mailoutbox, django_capture_on_commit_callbacks
):
    draft = GuardianshipRequestFactory(state=State.DRAFT, submitted_at=None, created_by=sw_pori)
    with django_capture_on_commit_callbacks() as callbacks:
        services.submit_request(draft, by=sw_pori)
    # Not committed yet: nothing sent, nothing disclosed.
    assert mailoutbox == [] and disclosures() == []
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1
    assert [row[2] for row in disclosures()] == [coordinator.email]


def test_the_weekly_digest_discloses_each_request_to_each_coordinator_as_the_system(
    coordinators, mailoutbox
):
    old = timezone.now() - datetime.timedelta(days=30)
    waiting = [GuardianshipRequestFactory(state=State.SEARCHING, submitted_at=old) for _ in "ab"]
    GuardianshipRequestFactory(state=State.SEARCHING)  # not waiting long enough

    call_command("send_digest", days=14)

    assert len(mailoutbox) == 1
    rows = disclosures()
    assert sorted((request, recipient) for request, _c, recipient, *_ in rows) == sorted(
        (r.pk, c.email) for r in waiting for c in coordinators
    )
    assert {(basis, user, username, role) for *_r, basis, user, username, role in rows} == {
        (AccessBasis.COORDINATOR, None, "system", "")
    }
