"""Every e-mail that names a request is a disclosure (703/2023): the transaction that
queues it in the outbox writes one access-log row per recipient, with the recipient's part
as the basis and the user whose step caused it (or "system" for the weekly digest)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from mailer.models import Message

from accounts.factories import make_user
from accounts.roles import Role
from guardianship import services
from guardianship.enums import AccessAction, AccessBasis, AccessOutcome, State
from guardianship.factories import GuardianFactory, GuardianshipRequestFactory
from guardianship.models import AccessLog

pytestmark = pytest.mark.django_db


def disclosures():
    return [
        # A disclosure names its request, no child (None: no children).
        (r.request_id, r.children or None, r.recipient, r.basis, r.user, r.username, r.role)
        for r in AccessLog.objects.filter(action=AccessAction.DISCLOSE).order_by("id")
    ]


@pytest.fixture
def coordinators(coordinator):
    other = make_user(Role.COORDINATOR, ["pikassos"], username="olli-coordinator")
    return [coordinator, other]


def test_each_email_of_the_workflow_is_logged_with_its_recipients_part(
    coordinators, sw_pori, guardian_user, sent_mail
):
    first, second = sorted(c.email for c in coordinators)
    draft = GuardianshipRequestFactory(
        state=State.DRAFT, submitted_at=None, created_by=sw_pori, worker_email="sanna@pori.fi"
    )
    guardian = GuardianFactory(user=guardian_user, email="gina@example.invalid")
    coordinator = coordinators[0]

    services.submit_request(draft, by=sw_pori)
    assignment = services.propose_guardian(draft, guardian, by=coordinator)
    services.accept_proposal(assignment, by=guardian_user)

    assert len(sent_mail()) == 3
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


def test_the_disclosure_is_written_with_the_queued_message_in_the_steps_transaction(
    coordinator, sw_pori, sent_mail
):
    draft = GuardianshipRequestFactory(state=State.DRAFT, submitted_at=None, created_by=sw_pori)
    # A step that rolls back queues nothing and discloses nothing.
    with pytest.raises(RuntimeError), transaction.atomic():
        services.submit_request(draft, by=sw_pori)
        raise RuntimeError("the step's transaction fails after the e-mail was queued")
    assert sent_mail() == [] and disclosures() == [] and not Message.objects.exists()
    # A step that commits: the message waits in the outbox, its disclosure already written.
    draft.refresh_from_db()
    services.submit_request(draft, by=sw_pori)
    assert Message.objects.count() == 1
    assert [row[2] for row in disclosures()] == [coordinator.email]
    # The worker sends it.
    assert [m.to for m in sent_mail()] == [[coordinator.email]]
    assert not Message.objects.exists()


def test_the_weekly_digest_discloses_each_request_to_each_coordinator_as_the_system(
    coordinators, sent_mail
):
    old = timezone.now() - datetime.timedelta(days=30)
    waiting = [GuardianshipRequestFactory(state=State.SEARCHING, submitted_at=old) for _ in "ab"]
    GuardianshipRequestFactory(state=State.SEARCHING)  # not waiting long enough

    call_command("send_digest", days=14)

    assert len(sent_mail()) == 1
    rows = disclosures()
    assert sorted((request, recipient) for request, _c, recipient, *_ in rows) == sorted(
        (r.pk, c.email) for r in waiting for c in coordinators
    )
    assert {(basis, user, username, role) for *_r, basis, user, username, role in rows} == {
        (AccessBasis.COORDINATOR, None, "system", "")
    }
