"""Two people acting on one request at once, in real transactions on two connections."""

import threading

import pytest
from django.db import connection

from accounts.factories import make_user
from guardianship import services
from guardianship.enums import AssignmentStatus, State
from guardianship.factories import GuardianFactory, GuardianshipRequestFactory
from guardianship.models import Assignment

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(*calls):
    """Start every call at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = ("ok", call())
        except services.WorkflowError as error:
            results[i] = ("refused", error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_coordinators_proposing_at_once_leave_exactly_one_proposal():
    alice = make_user("coordinator", ["pikassos"], username="alice-c")
    bob = make_user("coordinator", ["pikassos"], username="bob-c")
    request = GuardianshipRequestFactory(state=State.SEARCHING)
    first, second = GuardianFactory(), GuardianFactory()

    results = run_together(
        lambda: services.propose_guardian(request, first, by=alice),
        lambda: services.propose_guardian(request, second, by=bob),
    )

    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["ok", "refused"]
    message = next(value for kind, value in results if kind == "refused")
    assert "someone else" in message or "joku muu" in message
    assert Assignment.objects.filter(request=request, status=AssignmentStatus.PROPOSED).count() == 1
    request.refresh_from_db()
    assert request.state == State.PROPOSED
    assert request.events.filter(action="propose").count() == 1


def test_accept_and_decline_of_one_proposal_at_once_answer_it_once():
    coordinator = make_user("coordinator", ["pikassos"], username="carol-c")
    user = make_user("guardian", username="gary-g")
    request = GuardianshipRequestFactory(state=State.SEARCHING)
    guardian = GuardianFactory(user=user)
    assignment = services.propose_guardian(request, guardian, by=coordinator)

    results = run_together(
        lambda: services.accept_proposal(assignment, by=user),
        lambda: services.decline_proposal(assignment, by=coordinator, reason="Ei tavoitettu."),
    )

    assert sorted(kind for kind, _ in results) == ["ok", "refused"]
    assignment.refresh_from_db()
    request.refresh_from_db()
    assert (assignment.status, request.state) in {
        (AssignmentStatus.ACTIVE, State.CONSENT_GIVEN),
        (AssignmentStatus.DECLINED, State.SEARCHING),
    }
