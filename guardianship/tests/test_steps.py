"""Direct tests of the step registry (guardianship.steps.STEPS) and its services.

Every rule of the registry is written out here once more, so that deleting one (a state
a step may start from, a part that may take it, a required reason, a field a step
records) makes a test fail.
"""

import datetime
import inspect

import pytest
from django.utils import timezone

from common.exceptions import WorkflowError
from conftest import make_user
from guardianship import forms, services
from guardianship.enums import OPEN_STATES, Actor, AssignmentStatus, State, StepName
from guardianship.factories import GuardianFactory, GuardianshipRequestFactory, team
from guardianship.models import Assignment, RequestEvent
from guardianship.steps import STEPS

pytestmark = pytest.mark.django_db

C, S, G, L = Actor.COORDINATOR, Actor.SOCIAL_WORKER, Actor.GUARDIAN, Actor.TEAM_LEADER
PRE_APPOINTMENT = {
    State.DRAFT,
    State.RECEIVED,
    State.SEARCHING,
    State.PROPOSED,
    State.CONSENT_GIVEN,
    State.APPLICATION_FILED,
}

# step: (from_states, actors, service, form, on_assignment, to_state)
REGISTRY = {
    StepName.SUBMIT: ({State.DRAFT}, {S}, "submit_request", None, False, State.RECEIVED),
    StepName.START_SEARCH: (
        {State.RECEIVED},
        {C},
        "start_search",
        None,
        False,
        State.SEARCHING,
    ),
    StepName.PROPOSE: (
        {State.RECEIVED, State.SEARCHING},
        {C},
        "propose_guardian",
        forms.ProposeForm,
        False,
        State.PROPOSED,
    ),
    StepName.WITHDRAW: (
        {State.PROPOSED},
        {C},
        "withdraw_proposal",
        None,
        False,
        State.SEARCHING,
    ),
    StepName.ACCEPT: (
        {State.PROPOSED},
        {G, C},
        "accept_proposal",
        None,
        True,
        State.CONSENT_GIVEN,
    ),
    StepName.DECLINE: (
        {State.PROPOSED},
        {G, C},
        "decline_proposal",
        forms.ReasonForm,
        True,
        State.SEARCHING,
    ),
    StepName.FILE_APPLICATION: (
        {State.CONSENT_GIVEN},
        {S, C},
        "file_application",
        forms.FileApplicationForm,
        False,
        State.APPLICATION_FILED,
    ),
    StepName.RECORD_APPOINTMENT: (
        {State.APPLICATION_FILED},
        {S, C, G},
        "record_appointment",
        forms.AppointmentForm,
        False,
        State.APPOINTED,
    ),
    StepName.END: ({State.APPOINTED}, {S, C, G}, "end_request", forms.EndForm, False, State.ENDED),
    StepName.CANCEL: (
        PRE_APPOINTMENT,
        {S, C},
        "cancel_request",
        forms.ReasonForm,
        False,
        State.CANCELLED,
    ),
    StepName.REASSIGN: (
        {State.CONSENT_GIVEN, State.APPLICATION_FILED, State.APPOINTED},
        {C},
        "reassign_guardian",
        forms.ReassignForm,
        False,
        State.PROPOSED,
    ),
    # Responsibility moves; the state does not (None: unchanged, no states recorded).
    StepName.TRANSFER: (
        {State.DRAFT, *OPEN_STATES},
        {S, L, C},
        "transfer_request",
        forms.TransferForm,
        False,
        None,
    ),
}

ALLOWED = [
    (step, state, actor)
    for step, (states, actors, *_) in REGISTRY.items()
    for state in sorted(states)
    for actor in sorted(actors)
]
WRONG_STATE = [
    (step, state)
    for step, (states, *_) in REGISTRY.items()
    for state in State
    if state not in states
]
WRONG_ACTOR = [
    (step, state, actor)
    for step, (states, actors, *_) in REGISTRY.items()
    for state in sorted(states)
    for actor in Actor
    if actor not in actors
]
ANY_FROM_STATE = [
    (step, state) for step, (states, *_) in REGISTRY.items() for state in sorted(states)
]

FILED_ON = datetime.date(2026, 2, 1)
DECIDED_ON = datetime.date(2026, 3, 1)
ENDED_ON = datetime.date(2026, 4, 1)
COURT = "Satakunnan käräjäoikeus"


# --- the registry itself ---------------------------------------------------------------


def test_step_names_are_the_registry_keys():
    assert set(StepName) == set(STEPS) == set(REGISTRY)


@pytest.mark.parametrize("name", list(REGISTRY))
def test_registry_entry(name):
    from_states, actors, service, form, on_assignment, _to = REGISTRY[name]
    step = STEPS[name]
    assert step.name == name
    assert step.from_states == from_states
    assert step.actors == actors
    assert step.service == service
    assert step.form is form
    assert step.on_assignment is on_assignment


@pytest.mark.parametrize("name", list(REGISTRY))
def test_service_exists_and_takes_the_form_fields(name):
    step = STEPS[name]
    function = getattr(services, step.service)
    signature = inspect.signature(function)
    fields = list(step.form.base_fields) if step.form else []
    keyword = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    for field in [*fields, "by"]:
        assert field in signature.parameters, (step.service, field)
        assert signature.parameters[field].kind in keyword, (step.service, field)
    # The target, `by` and exactly the form's fields are enough to call it.
    signature.bind(object(), by=None, **dict.fromkeys(fields))


# --- setting up a request in a state ---------------------------------------------------


class Case:
    """A Pori request in `state`, its guardian (played by `guardian_user`) and, for the
    steps that need one, a current assignment."""

    def __init__(self, step, state, coordinator, guardian_user, *, guardian_assigned=False):
        self.request = GuardianshipRequestFactory()
        fields = {"state": state}
        if state == State.DRAFT:
            fields["submitted_at"] = None
        if state in (State.APPOINTED, State.ENDED):
            fields["decision_date"] = datetime.date(2026, 1, 10)
        type(self.request).objects.filter(pk=self.request.pk).update(**fields)
        self.request.refresh_from_db()
        self.guardian = GuardianFactory(user=guardian_user)
        self.other_guardian = GuardianFactory()
        status = None
        if STEPS[step].on_assignment or state == State.PROPOSED:
            status = AssignmentStatus.PROPOSED
        elif state in (State.CONSENT_GIVEN, State.APPLICATION_FILED, State.APPOINTED):
            status = AssignmentStatus.ACTIVE
        elif guardian_assigned:
            status = AssignmentStatus.PROPOSED
        self.assignment = None
        if status is not None:
            self.assignment = Assignment.objects.create(
                request=self.request, guardian=self.guardian, proposed_by=coordinator, status=status
            )
        self.target = self.assignment if STEPS[step].on_assignment else self.request

    def data(self, step):
        return {
            StepName.PROPOSE: {"guardian": self.other_guardian, "text": "Ehdotus"},
            StepName.DECLINE: {"reason": "Ei ehdi"},
            StepName.FILE_APPLICATION: {"court": COURT, "filed_on": FILED_ON},
            StepName.RECORD_APPOINTMENT: {
                "court": COURT,
                "decision_date": DECIDED_ON,
                "case_number": "H 26/7",
            },
            StepName.END: {"ended_on": ENDED_ON, "reason": "Lapsi täysi-ikäinen"},
            StepName.CANCEL: {"reason": "Ei tarvetta"},
            StepName.REASSIGN: {"guardian": self.other_guardian, "reason": "Muutto"},
            StepName.TRANSFER: {"unit": team("rauma"), "reason": "Perhe muutti Raumalle"},
        }.get(step, {})

    def take(self, step, by, **overrides):
        data = {**self.data(step), **overrides}
        return getattr(services, STEPS[step].service)(self.target, by=by, **data)

    def state_now(self):
        self.request.refresh_from_db()
        return self.request.state


@pytest.fixture
def players(coordinator, sw_pori, guardian_user, team_leader):
    return {C: coordinator, S: sw_pori, G: guardian_user, L: team_leader}


# --- who may take a step from which state ----------------------------------------------


@pytest.mark.parametrize(("step", "state", "actor"), ALLOWED)
def test_step_succeeds_from_each_of_its_states_for_each_of_its_actors(
    step, state, actor, players, coordinator, guardian_user
):
    case = Case(step, state, coordinator, guardian_user)
    if state == State.DRAFT and actor == C:
        # A draft belongs to its organisation: a coordinator acts on their own only.
        coordinator.organisations.add(case.request.organisation)
        coordinator.__dict__.pop("organisation_ids", None)
    case.take(step, by=players[actor])
    to_state = REGISTRY[step][5]
    assert case.state_now() == (to_state or state)
    event = RequestEvent.objects.filter(request=case.request).latest("at")
    recorded = (state, to_state) if to_state else ("", "")
    assert (event.action, event.from_state, event.to_state) == (step, *recorded)
    assert event.actor == players[actor]


def test_a_coordinator_may_not_cancel_another_organisations_draft(
    players, coordinator, guardian_user
):
    case = Case(StepName.CANCEL, State.DRAFT, coordinator, guardian_user)
    with pytest.raises(WorkflowError):
        case.take(StepName.CANCEL, by=players[C])
    assert case.state_now() == State.DRAFT


@pytest.mark.parametrize(("step", "state"), WRONG_STATE)
def test_step_is_refused_from_every_other_state(step, state, players, coordinator, guardian_user):
    case = Case(step, state, coordinator, guardian_user)
    actor = next(a for a in (C, S, G) if a in REGISTRY[step][1])
    events = RequestEvent.objects.count()
    with pytest.raises(WorkflowError):
        case.take(step, by=players[actor])
    assert case.state_now() == state
    assert RequestEvent.objects.count() == events


@pytest.mark.parametrize(("step", "state", "actor"), WRONG_ACTOR)
def test_step_is_refused_to_every_other_actor(
    step, state, actor, players, coordinator, guardian_user
):
    case = Case(step, state, coordinator, guardian_user, guardian_assigned=True)
    assert case.assignment is not None and case.assignment.guardian.user == guardian_user
    with pytest.raises(WorkflowError):
        case.take(step, by=players[actor])
    assert case.state_now() == state


@pytest.mark.parametrize(("step", "state"), ANY_FROM_STATE)
def test_a_social_worker_of_another_organisation_is_refused_every_step(
    step, state, coordinator, guardian_user, sw_rauma
):
    case = Case(step, state, coordinator, guardian_user, guardian_assigned=True)
    with pytest.raises(WorkflowError):
        case.take(step, by=sw_rauma)
    assert case.state_now() == state


@pytest.mark.parametrize(("step", "state"), ANY_FROM_STATE)
def test_users_who_play_no_part_are_refused(step, state, coordinator, guardian_user, planner):
    case = Case(step, state, coordinator, guardian_user, guardian_assigned=True)
    other_guardian = make_user("guardian", username="other-guardian")
    GuardianFactory(user=other_guardian)
    for user in (planner, other_guardian, make_user("payer", ["satakunnan-hyvinvointialue"])):
        with pytest.raises(WorkflowError):
            case.take(step, by=user)
    assert case.state_now() == state


# --- required reasons -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "state"),
    [
        (StepName.DECLINE, State.PROPOSED),
        (StepName.END, State.APPOINTED),
        (StepName.CANCEL, State.RECEIVED),
        (StepName.REASSIGN, State.CONSENT_GIVEN),
    ],
)
def test_a_blank_reason_is_refused(step, state, coordinator, guardian_user):
    case = Case(step, state, coordinator, guardian_user)
    with pytest.raises(WorkflowError):
        case.take(step, by=coordinator, reason="  ")
    assert case.state_now() == state
    assert not RequestEvent.objects.filter(request=case.request).exists()


# --- what the steps record --------------------------------------------------------------


def test_submit_records_the_submission_time(sw_pori, coordinator, guardian_user):
    case = Case(StepName.SUBMIT, State.DRAFT, coordinator, guardian_user)
    assert case.request.submitted_at is None
    before = timezone.now()
    case.take(StepName.SUBMIT, by=sw_pori)
    case.request.refresh_from_db()
    assert case.request.submitted_at >= before


def test_file_application_records_court_and_date(coordinator, guardian_user):
    case = Case(StepName.FILE_APPLICATION, State.CONSENT_GIVEN, coordinator, guardian_user)
    case.take(StepName.FILE_APPLICATION, by=coordinator, court="Pirkanmaan käräjäoikeus")
    case.request.refresh_from_db()
    assert case.request.court == "Pirkanmaan käräjäoikeus"
    assert case.request.application_filed_on == FILED_ON


def test_record_appointment_records_decision(coordinator, guardian_user):
    case = Case(StepName.RECORD_APPOINTMENT, State.APPLICATION_FILED, coordinator, guardian_user)
    case.take(StepName.RECORD_APPOINTMENT, by=coordinator, court="Vaasan hovioikeus")
    case.request.refresh_from_db()
    assert case.request.decision_date == DECIDED_ON
    assert case.request.case_number == "H 26/7"
    assert case.request.court == "Vaasan hovioikeus"


def test_end_records_date_and_reason(coordinator, guardian_user):
    case = Case(StepName.END, State.APPOINTED, coordinator, guardian_user)
    case.take(StepName.END, by=coordinator, reason="  Lapsi täysi-ikäinen ")
    case.request.refresh_from_db()
    assert case.request.ended_on == ENDED_ON
    assert case.request.end_reason == "Lapsi täysi-ikäinen"
    case.assignment.refresh_from_db()
    assert case.assignment.status == AssignmentStatus.ENDED


def test_cancel_records_the_reason(coordinator, guardian_user):
    case = Case(StepName.CANCEL, State.PROPOSED, coordinator, guardian_user)
    case.take(StepName.CANCEL, by=coordinator)
    case.request.refresh_from_db()
    assert case.request.end_reason == "Ei tarvetta"
    case.assignment.refresh_from_db()
    assert case.assignment.status == AssignmentStatus.WITHDRAWN


def test_answers_record_on_the_assignment(coordinator, guardian_user):
    case = Case(StepName.ACCEPT, State.PROPOSED, coordinator, guardian_user)
    case.take(StepName.ACCEPT, by=guardian_user)
    case.assignment.refresh_from_db()
    assert case.assignment.status == AssignmentStatus.ACTIVE
    assert case.assignment.started_at is not None

    case = Case(StepName.DECLINE, State.PROPOSED, coordinator, make_user("guardian"))
    case.take(StepName.DECLINE, by=coordinator)
    case.assignment.refresh_from_db()
    assert case.assignment.status == AssignmentStatus.DECLINED
    assert case.assignment.decline_reason == "Ei ehdi"


def test_propose_and_reassign_propose_the_new_guardian(coordinator, guardian_user):
    case = Case(StepName.REASSIGN, State.APPOINTED, coordinator, guardian_user)
    new = case.take(StepName.REASSIGN, by=coordinator)
    assert (new.guardian, new.status) == (case.other_guardian, AssignmentStatus.PROPOSED)
    case.assignment.refresh_from_db()
    assert case.assignment.status == AssignmentStatus.ENDED

    case = Case(StepName.PROPOSE, State.SEARCHING, coordinator, make_user("guardian"))
    new = case.take(StepName.PROPOSE, by=coordinator)
    assert (new.guardian, new.status) == (case.other_guardian, AssignmentStatus.PROPOSED)
