"""Direct tests of guardianship.policies: the request scope and the yes/no questions."""

import datetime

import pytest

from accounts.tests.policy_users import USERS, policy_table, user_for
from guardianship import policies
from guardianship.enums import Actor, AssignmentStatus, State, StepName
from guardianship.factories import GuardianFactory, GuardianshipRequestFactory
from guardianship.models import Assignment
from municipalities.models import Organisation

pytestmark = pytest.mark.django_db


test_policy = policy_table(
    policies,
    {
        "can_see_requests": "coordinator sw_pori team_leader guardian superuser",
        "can_export_requests": "coordinator superuser",
        "can_create_request": "sw_pori",
        "can_manage_pool": "coordinator superuser",
        "can_see_access_report": "coordinator superuser",
        "can_answer_proposals": "coordinator guardian superuser",
        "has_cases": "guardian",
    },
)


def make_request(where="pori", state=State.RECEIVED, **kwargs):
    """A request of the county's "pori" or "rauma" team, or of the organisation `where`
    without a team (Pikassos' own draft, a municipality's request from before 2023)."""
    draft = state == State.DRAFT
    place = (
        {"team": where}
        if where in ("pori", "rauma")
        else {"organisation": Organisation.objects.get(slug=where)}
    )
    return GuardianshipRequestFactory(
        **place,
        state=state,
        submitted_at=None if draft else datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        children=0,
        **kwargs,
    )


def assign(request, guardian, status, by):
    reason = {"decline_reason": "Ei ehdi"} if status == AssignmentStatus.DECLINED else {}
    return Assignment.objects.create(
        request=request, guardian=guardian, status=status, proposed_by=by, **reason
    )


@pytest.fixture
def world(coordinator, guardian_user):
    guardian = GuardianFactory(user=guardian_user)
    r = {
        "pori": make_request("pori"),
        "pori_draft": make_request("pori", State.DRAFT),
        "rauma": make_request("rauma"),
        "rauma_draft": make_request("rauma", State.DRAFT),
        "pikassos_draft": make_request("pikassos", State.DRAFT),
        # Filed by Rauma before 2023 and not yet given to a team: coordinators only.
        "legacy": make_request("ulvila"),
        "proposed": make_request("rauma", State.PROPOSED),
        "active": make_request("rauma", State.CONSENT_GIVEN),
        "ended": make_request("rauma", State.ENDED),
        "declined": make_request("rauma", State.SEARCHING),
        "withdrawn": make_request("rauma", State.SEARCHING),
    }
    for name, status in [
        ("proposed", AssignmentStatus.PROPOSED),
        ("active", AssignmentStatus.ACTIVE),
        ("ended", AssignmentStatus.ENDED),
        ("declined", AssignmentStatus.DECLINED),
        ("withdrawn", AssignmentStatus.WITHDRAWN),
    ]:
        assign(r[name], guardian, status, coordinator)
    return r


TEAMS = "pori rauma proposed active ended declined withdrawn"
SUBMITTED = TEAMS + " legacy"
SCOPES = {
    "anonymous": "",
    "coordinator": SUBMITTED + " pikassos_draft",
    "planner": "",
    # Their own team's, drafts included; nothing of Rauma's team in the same county.
    "sw_pori": "pori pori_draft",
    # The subtree of child protection: both teams, not what no team holds yet.
    "team_leader": TEAMS + " pori_draft rauma_draft",
    # An ended assignment's request is gone for its guardian (issue 13, part 2).
    "guardian": "proposed active",
    "payer": "",
    "superuser": SUBMITTED,
    "none": "",
}


@pytest.mark.parametrize("key", USERS)
def test_requests_for(key, world, request):
    user = user_for(key, request)
    seen = set(policies.requests_for(user).values_list("pk", flat=True))
    assert seen == {world[name].pk for name in SCOPES[key].split()}
    # A queryset given is narrowed, not replaced.
    narrowed = policies.requests_for(user, type(world["pori"]).objects.filter(state=State.DRAFT))
    assert set(narrowed) <= {world[n] for n in ("pori_draft", "rauma_draft", "pikassos_draft")}


def test_current_assignment(world):
    assert policies.current_assignment(world["proposed"]).status == AssignmentStatus.PROPOSED
    assert policies.current_assignment(world["active"]).status == AssignmentStatus.ACTIVE
    for name in ("ended", "declined", "withdrawn", "pori"):
        assert policies.current_assignment(world[name]) is None


ACTS_AS = {
    # user: {request: parts}
    "anonymous": {},
    # A draft belongs to its organisation: the coordinator plays a part only in Pikassos' own.
    "coordinator": {"*": {Actor.COORDINATOR}, "pori_draft": set(), "rauma_draft": set()},
    "planner": {},
    "sw_pori": {"pori": {Actor.SOCIAL_WORKER}, "pori_draft": {Actor.SOCIAL_WORKER}},
    "team_leader": {
        "*": {Actor.TEAM_LEADER},
        "pikassos_draft": set(),
        "legacy": set(),
    },
    "guardian": {"proposed": {Actor.GUARDIAN}, "active": {Actor.GUARDIAN}},
    "payer": {},
    "superuser": {
        "*": {Actor.COORDINATOR},
        "pori_draft": set(),
        "rauma_draft": set(),
        "pikassos_draft": set(),
    },
    "none": {},
}


@pytest.mark.parametrize("key", USERS)
def test_acts_as(key, world, request):
    user = user_for(key, request)
    for name, req in world.items():
        expected = ACTS_AS[key].get(name, ACTS_AS[key].get("*", set()))
        assert policies.acts_as(user, req) == expected, name


def test_acts_as_the_assignment_given(world, guardian_user):
    declined = world["declined"].assignments.get()
    assert policies.acts_as(guardian_user, world["declined"]) == set()
    assert policies.acts_as(guardian_user, world["declined"], declined) == {Actor.GUARDIAN}


def test_a_social_worker_of_another_organisation_plays_no_part(world, sw_rauma):
    assert policies.acts_as(sw_rauma, world["rauma"]) == {Actor.SOCIAL_WORKER}
    assert policies.acts_as(sw_rauma, world["pori"]) == set()
    assert policies.allowed_steps(sw_rauma, world["pori"]) == set()


def test_a_user_playing_two_parts_has_both(world):
    from conftest import make_user

    both = make_user("coordinator", ["pori"], units=["Lastensuojelu, Pori"])
    both.groups.add(*make_user("social_worker").groups.all())
    assert policies.acts_as(both, world["pori"]) == {Actor.COORDINATOR, Actor.SOCIAL_WORKER}


X = StepName.TRANSFER


@pytest.mark.parametrize(
    ("key", "name", "expected"),
    [
        ("coordinator", "pori", {StepName.START_SEARCH, StepName.PROPOSE, StepName.CANCEL, X}),
        ("sw_pori", "pori", {StepName.CANCEL, X}),
        ("sw_pori", "pori_draft", {StepName.SUBMIT, StepName.CANCEL, X}),
        ("team_leader", "pori", {X}),
        ("team_leader", "pori_draft", {X}),
        ("team_leader", "ended", set()),
        ("team_leader", "legacy", set()),
        ("coordinator", "legacy", {StepName.START_SEARCH, StepName.PROPOSE, StepName.CANCEL, X}),
        ("coordinator", "pikassos_draft", {StepName.CANCEL, X}),
        (
            "coordinator",
            "proposed",
            {StepName.WITHDRAW, StepName.ACCEPT, StepName.DECLINE, StepName.CANCEL, X},
        ),
        ("guardian", "proposed", {StepName.ACCEPT, StepName.DECLINE}),
        (
            "coordinator",
            "active",
            {StepName.FILE_APPLICATION, StepName.CANCEL, StepName.REASSIGN, X},
        ),
        ("guardian", "active", set()),
        ("coordinator", "declined", {StepName.PROPOSE, StepName.CANCEL, X}),
        ("guardian", "declined", set()),
        ("coordinator", "ended", set()),
        ("guardian", "ended", set()),
        ("superuser", "pori", {StepName.START_SEARCH, StepName.PROPOSE, StepName.CANCEL, X}),
        ("planner", "pori", set()),
        ("payer", "pori", set()),
        ("none", "pori", set()),
        ("anonymous", "pori", set()),
    ],
)
def test_allowed_steps(key, name, expected, world, request):
    user = user_for(key, request)
    assert policies.allowed_steps(user, world[name]) == expected
    for step in StepName:
        assert policies.can_take(user, step, world[name]) is (step in expected), step


@pytest.mark.parametrize("state", list(State))
def test_allowed_steps_by_state(state, coordinator, sw_pori, guardian_user):
    req = make_request("pori", state, decision_date=datetime.date(2026, 1, 10))
    guardian = GuardianFactory(user=guardian_user)
    if state in (State.CONSENT_GIVEN, State.APPLICATION_FILED, State.APPOINTED):
        assign(req, guardian, AssignmentStatus.ACTIVE, coordinator)
    elif state == State.PROPOSED:
        assign(req, guardian, AssignmentStatus.PROPOSED, coordinator)
    expected = {
        # Another organisation's draft is not the coordinator's to cancel.
        State.DRAFT: (set(), {StepName.SUBMIT, StepName.CANCEL, X}, set()),
        State.RECEIVED: (
            {StepName.START_SEARCH, StepName.PROPOSE, StepName.CANCEL, X},
            {StepName.CANCEL, X},
            set(),
        ),
        State.SEARCHING: ({StepName.PROPOSE, StepName.CANCEL, X}, {StepName.CANCEL, X}, set()),
        State.PROPOSED: (
            {StepName.WITHDRAW, StepName.ACCEPT, StepName.DECLINE, StepName.CANCEL, X},
            {StepName.CANCEL, X},
            {StepName.ACCEPT, StepName.DECLINE},
        ),
        State.CONSENT_GIVEN: (
            {StepName.FILE_APPLICATION, StepName.CANCEL, StepName.REASSIGN, X},
            {StepName.FILE_APPLICATION, StepName.CANCEL, X},
            set(),
        ),
        State.APPLICATION_FILED: (
            {StepName.RECORD_APPOINTMENT, StepName.CANCEL, StepName.REASSIGN, X},
            {StepName.RECORD_APPOINTMENT, StepName.CANCEL, X},
            {StepName.RECORD_APPOINTMENT},
        ),
        State.APPOINTED: (
            {StepName.END, StepName.REASSIGN, X},
            {StepName.END, X},
            {StepName.END},
        ),
        State.ENDED: (set(), set(), set()),
        State.CANCELLED: (set(), set(), set()),
    }[state]
    for user, steps in zip((coordinator, sw_pori, guardian_user), expected, strict=True):
        assert policies.allowed_steps(user, req) == steps, user
        for step in StepName:
            assert policies.can_take(user, step, req) is (step in steps), (user, step)
            assert policies.may_act(user, step, req) is bool(
                policies.acts_as(user, req) & policies.STEPS[step].actors
            )


# Who may have a child's full identity code shown, of the requests in their scope (issue
# 13, part 3): not a guardian only proposed, nor one whose assignment has ended.
# A team leader oversees the teams' work and does not need the codes themself.
REVEALS = {**SCOPES, "guardian": "active", "team_leader": ""}


@pytest.mark.parametrize("key", USERS)
def test_can_reveal_identity_code(key, world, request):
    user = user_for(key, request)
    for name in SCOPES[key].split():
        expected = name in REVEALS[key].split()
        assert policies.can_reveal_identity_code(user, world[name]) is expected, name
