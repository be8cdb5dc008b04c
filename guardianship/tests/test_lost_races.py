"""An answer that lost a race (issue 16, part 4): a guardian accepting a proposal that was
withdrawn a second earlier, or a step on a request that left the user's hands meanwhile,
is told so on the page, and leaves no "refused" row in the child's access log, which
would read as snooping. Someone who never had a part in the request is still refused."""

import pytest
from django.urls import reverse

from accounts.factories import make_user
from accounts.roles import Role
from guardianship import services
from guardianship.enums import AccessOutcome, AssignmentStatus, State
from guardianship.factories import GuardianFactory, GuardianshipRequestFactory
from guardianship.models import AccessLog
from municipalities.models import Unit

pytestmark = pytest.mark.django_db


def answer(assignment, what="accept"):
    return reverse(
        "guardianship:assignment_respond", kwargs={"uuid": assignment.uuid, "answer": what}
    )


def step(request, name):
    return reverse("guardianship:request_step", kwargs={"uuid": request.uuid, "step": name})


def shown_messages(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def withdrawn(coordinator, guardian_user):
    """A proposal to the guardian, withdrawn by the coordinator before the answer came."""
    request = GuardianshipRequestFactory(state=State.SEARCHING)
    assignment = services.propose_guardian(
        request, GuardianFactory(user=guardian_user), by=coordinator
    )
    services.withdraw_proposal(request, by=coordinator)
    return assignment


def test_accepting_a_withdrawn_proposal_says_it_was_withdrawn(client, guardian_user, withdrawn):
    client.force_login(guardian_user)

    response = client.post(answer(withdrawn), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("guardianship:my_assignments")
    assert shown_messages(response) == [
        "Ehdotus on peruttu, joten siihen ei voi enää vastata. Mitään ei tallennettu."
    ]
    assert "Ehdotus on peruttu" in response.content.decode()
    # Nothing refused in the child's access log, and nothing changed.
    assert not AccessLog.objects.filter(outcome=AccessOutcome.REFUSED).exists()
    assert not AccessLog.objects.filter(user=guardian_user).exists()
    withdrawn.refresh_from_db()
    assert withdrawn.status == AssignmentStatus.WITHDRAWN


def test_declining_a_proposal_of_a_cancelled_request_says_it_was_cancelled(
    client, coordinator, guardian_user
):
    request = GuardianshipRequestFactory(state=State.SEARCHING)
    assignment = services.propose_guardian(
        request, GuardianFactory(user=guardian_user), by=coordinator
    )
    services.cancel_request(request, by=coordinator, reason="Asia raukesi.")
    client.force_login(guardian_user)

    response = client.post(answer(assignment, "decline"), {"reason": "Ei aikaa."}, follow=True)

    assert response.status_code == 200
    assert shown_messages(response) == [
        "Pyyntö peruttiin, joten ehdotus on peruttu. Mitään ei tallennettu."
    ]
    assert not AccessLog.objects.filter(outcome=AccessOutcome.REFUSED).exists()


def test_a_second_accept_of_the_same_proposal_says_it_is_already_accepted(
    client, coordinator, guardian_user
):
    request = GuardianshipRequestFactory(state=State.SEARCHING)
    assignment = services.propose_guardian(
        request, GuardianFactory(user=guardian_user), by=coordinator
    )
    client.force_login(guardian_user)
    client.post(answer(assignment), follow=True)

    response = client.post(answer(assignment), follow=True)

    assert shown_messages(response) == ["Olet jo hyväksynyt tämän ehdotuksen."]
    assert request.events.filter(action="accept").count() == 1


def test_another_guardians_proposal_is_still_refused_and_logged(client, coordinator, guardian_user):
    """Not a lost race: the proposal was never this guardian's."""
    request = GuardianshipRequestFactory(state=State.SEARCHING)
    someone = GuardianFactory(user=make_user(Role.GUARDIAN, username="other-guardian"))
    proposal = services.propose_guardian(request, someone, by=coordinator)
    GuardianFactory(user=guardian_user)
    client.force_login(guardian_user)

    assert client.post(answer(proposal)).status_code == 404
    assert AccessLog.objects.get(user=guardian_user).outcome == AccessOutcome.REFUSED


def test_a_step_by_a_guardian_reassigned_meanwhile_is_a_message(client, coordinator, guardian_user):
    """The guardian records the appointment on a page loaded before the coordinator gave
    the case to another guardian: told on the page, not a 404."""
    request = GuardianshipRequestFactory(state=State.SEARCHING)
    first = services.propose_guardian(request, GuardianFactory(user=guardian_user), by=coordinator)
    services.accept_proposal(first, by=guardian_user)
    other = GuardianFactory(user=make_user(Role.GUARDIAN, username="next-guardian"))
    services.reassign_guardian(request, other, by=coordinator, reason="Muutto.")
    client.force_login(guardian_user)

    response = client.post(
        step(request, "end"), {"ended_on": "2026-11-30", "reason": "x"}, follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("guardianship:my_assignments")
    assert shown_messages(response) == [
        "Pyyntö on muuttunut sillä välin, eikä se ole enää sinun käsiteltävänäsi. "
        "Mitään ei tallennettu."
    ]
    assert not AccessLog.objects.filter(outcome=AccessOutcome.REFUSED).exists()


def test_a_note_on_a_request_transferred_away_meanwhile_is_a_message(
    client, coordinator, sw_pori, sw_rauma
):
    """A Pori worker's note on a request their team leader gave to Rauma a moment ago."""
    request = GuardianshipRequestFactory()
    assert request.unit.name == "Lastensuojelu, Pori"
    services.transfer_request(
        request, by=coordinator, unit=Unit.objects.get(name="Lastensuojelu, Rauma")
    )
    client.force_login(sw_pori)

    response = client.post(
        reverse("guardianship:request_note", kwargs={"uuid": request.uuid}),
        {"text": "Soitin huoltajalle."},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("guardianship:request_list")
    assert not AccessLog.objects.filter(outcome=AccessOutcome.REFUSED).exists()
    assert not request.events.filter(kind="note").exists()


def test_a_step_on_a_request_never_ones_own_is_refused_and_logged(client, sw_rauma):
    request = GuardianshipRequestFactory()
    client.force_login(sw_rauma)

    assert client.post(step(request, "cancel"), {"reason": "x"}).status_code == 404
    row = AccessLog.objects.get(user=sw_rauma)
    assert (row.outcome, row.request) == (AccessOutcome.REFUSED, request)
