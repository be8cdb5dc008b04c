"""Who may see and do what in guardianship: the scopes and the yes/no questions.

The views, services, templates (through the `can` context processor) and the navigation
ask these functions; nothing else re-derives a rule. In the spirit of rubyforgood/casa's
`app/policies/`: a scope (`requests_for`) beside the questions about one object.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.policies import has_role, holds_role, is_coordinator, signed_in
from accounts.roles import Role
from guardianship.enums import AccessBasis, Actor, AssignmentStatus, State
from guardianship.models import Assignment, GuardianshipRequest
from guardianship.steps import STEPS
from municipalities.models import Unit

# Roles that may open pages with children's data at all (each then sees only its scope).
CHILD_DATA_ROLES = (Role.COORDINATOR, Role.SOCIAL_WORKER, Role.TEAM_LEADER, Role.GUARDIAN)


def unit_ids(user) -> frozenset:
    """The units `user` belongs to (their teams), read once per request."""
    return user.unit_ids


def led_unit_ids(user) -> frozenset:
    """A team leader's units with their whole subtrees, read once per request (one
    recursive query per unit led, usually one)."""
    if not holds_role(user, Role.TEAM_LEADER):
        return frozenset()
    # getattr/setattr, not __dict__: request.user is a lazy object that forwards them.
    led = getattr(user, "_led_unit_ids", None)
    if led is None:
        ids = set()
        for unit in unit_ids(user):
            ids.update(
                Unit.objects.descendants(unit, include_self=True).values_list("pk", flat=True)
            )
        led = frozenset(ids)
        user._led_unit_ids = led
    return led


def requests_for(user, queryset=None):
    """The requests a user may see. Everything outside this is 404 in the views.

    Need to know (703/2023): a social worker sees the requests they filed or are
    responsible for and those of their own teams; a team leader those of the subtree of
    the unit they lead; a guardian those they are proposed for or serve; nobody else in
    the county any.
    """
    queryset = GuardianshipRequest.objects.all() if queryset is None else queryset
    if not signed_in(user):
        return queryset.none()
    if is_coordinator(user):
        # Drafts belong to their organisation until they are submitted.
        own_drafts = Q(organisation__in=user.organisations.all())
        return queryset.filter(~Q(state=State.DRAFT) | own_drafts)
    scope = Q(pk__in=[])
    if holds_role(user, Role.SOCIAL_WORKER):
        # Ids, not a subquery: with the ids the planner reads a team's queue in the
        # order of request_unit_queue_idx.
        scope |= Q(created_by=user) | Q(responsible_worker=user)
        if unit_ids(user):
            scope |= Q(unit__in=unit_ids(user))
    if led_unit_ids(user):
        scope |= Q(unit__in=led_unit_ids(user))
    if holds_role(user, Role.GUARDIAN):
        scope |= Q(
            Exists(
                Assignment.objects.filter(
                    request=OuterRef("pk"),
                    guardian__user=user,
                    status__in=Assignment.VISIBLE_TO_GUARDIAN,
                )
            )
        )
    return queryset.filter(scope)


def can_see_requests(user) -> bool:
    """The request list, a request's page, notes and steps (each within the scope)."""
    return has_role(user, *CHILD_DATA_ROLES)


def can_export_requests(user) -> bool:
    return is_coordinator(user)


def can_create_request(user) -> bool:
    """Filing and editing drafts: social workers, for their own organisations."""
    return holds_role(user, Role.SOCIAL_WORKER)


def can_manage_pool(user) -> bool:
    """The guardian pool, matching and the guardians' pages."""
    return is_coordinator(user)


def can_see_access_report(user) -> bool:
    """Who handled a child's data (703/2023): the coordinator answers these requests."""
    return is_coordinator(user)


def can_answer_proposals(user) -> bool:
    return has_role(user, Role.GUARDIAN, Role.COORDINATOR)


def has_cases(user) -> bool:
    """The guardian's own cases page."""
    return holds_role(user, Role.GUARDIAN)


def current_assignment(request):
    return (
        request.assignments.select_related("guardian", "guardian__user")
        .filter(status__in=[AssignmentStatus.PROPOSED, AssignmentStatus.ACTIVE])
        .first()
    )


def acts_as(user, request, assignment=None) -> set:
    """The parts (`Actor`) `user` plays in this request."""
    actors = set()
    # A draft belongs to its organisation until it is submitted (as in requests_for).
    if is_coordinator(user) and (
        request.state != State.DRAFT or request.organisation_id in user.organisation_ids
    ):
        actors.add(Actor.COORDINATOR)
    basis = _worker_basis(user, request)
    if basis in (AccessBasis.RESPONSIBLE_WORKER, AccessBasis.TEAM_MEMBER):
        actors.add(Actor.SOCIAL_WORKER)
    elif basis == AccessBasis.TEAM_LEADER:
        actors.add(Actor.TEAM_LEADER)
    if holds_role(user, Role.GUARDIAN):
        assignment = assignment or current_assignment(request)
        if assignment is not None and assignment.guardian.user_id == user.pk:
            actors.add(Actor.GUARDIAN)
    return actors


def may_act(user, step, request, assignment=None) -> bool:
    """`user` plays a part in `request` that may take `step` (whatever the state)."""
    return bool(acts_as(user, request, assignment) & STEPS[step].actors)


def can_take(user, step, request, assignment=None) -> bool:
    """`user` may take `step` on `request` now: the right part, the right state."""
    return request.state in STEPS[step].from_states and may_act(user, step, request, assignment)


def allowed_steps(user, request) -> set:
    """The steps `user` may take now, for showing the right buttons."""
    actors = acts_as(user, request)
    return {
        name
        for name, step in STEPS.items()
        if request.state in step.from_states and actors & step.actors
    }


GUARDIAN_BASIS = {
    AssignmentStatus.PROPOSED: AccessBasis.PROPOSED_GUARDIAN,
    AssignmentStatus.ACTIVE: AccessBasis.APPOINTED_GUARDIAN,
    AssignmentStatus.ENDED: AccessBasis.FORMER_GUARDIAN,
}


def _worker_basis(user, request):
    """The social worker's or team leader's basis for `request` (a model instance or a
    list row with the same attributes), or ""."""
    if holds_role(user, Role.SOCIAL_WORKER):
        if user.pk in (request.created_by_id, request.responsible_worker_id):
            return AccessBasis.RESPONSIBLE_WORKER
        if request.unit_id in unit_ids(user):
            return AccessBasis.TEAM_MEMBER
    if request.unit_id is not None and request.unit_id in led_unit_ids(user):
        return AccessBasis.TEAM_LEADER
    return ""


def _guardian_statuses(user, requests):
    """(request id, status) of the user's assignments on `requests`: from the prefetched
    assignments where the page has them (the request page), else one query."""
    if all("assignments" in getattr(r, "_prefetched_objects_cache", {}) for r in requests):
        return [
            (r.pk, a.status)
            for r in requests
            for a in r.assignments.all()
            if a.status in GUARDIAN_BASIS and a.guardian.user_id == user.pk
        ]
    return Assignment.objects.filter(
        request__in=[r.pk for r in requests], guardian__user=user, status__in=list(GUARDIAN_BASIS)
    ).values_list("request_id", "status")


def bases_for(user, requests) -> dict:
    """{request id: AccessBasis} for requests the user was shown (all within
    `requests_for`): why each was let in, for the access log (703/2023). At most one
    query, for a guardian's assignments."""
    requests = list(requests)
    if not requests or not signed_in(user):
        return {}
    if holds_role(user, Role.COORDINATOR):
        return dict.fromkeys((r.pk for r in requests), AccessBasis.COORDINATOR)
    if user.is_superuser:
        return dict.fromkeys((r.pk for r in requests), AccessBasis.ADMIN)
    bases = {}
    for r in requests:
        basis = _worker_basis(user, r)
        if basis:
            bases[r.pk] = basis
    missing = [r.pk for r in requests if r.pk not in bases]
    if missing and holds_role(user, Role.GUARDIAN):
        statuses = _guardian_statuses(user, [r for r in requests if r.pk in set(missing)])
        # The most present part wins: appointed over proposed over former.
        rank = [AssignmentStatus.ACTIVE, AssignmentStatus.PROPOSED, AssignmentStatus.ENDED]
        for request_id, status in sorted(statuses, key=lambda s: rank.index(s[1]), reverse=True):
            bases[request_id] = GUARDIAN_BASIS[status]
    return bases


def access_basis(user, request) -> str:
    """Why `user` may see `request` (an AccessBasis), or "" if nothing lets them in."""
    return bases_for(user, [request]).get(request.pk, "")


# Whose part needs a child's full identity code (issue 13, part 3): codes are masked
# everywhere and shown in full only on purpose, logged as AccessAction.REVEAL. A proposed
# guardian has not said yes yet, and a former guardian's part has ended: neither.
REVEAL_BASES = frozenset(
    {
        AccessBasis.COORDINATOR,
        AccessBasis.ADMIN,
        AccessBasis.RESPONSIBLE_WORKER,
        AccessBasis.TEAM_MEMBER,
        AccessBasis.APPOINTED_GUARDIAN,
    }
)


def basis_reveals_identity_code(basis) -> bool:
    """The part that `basis` (an AccessBasis, from `bases_for`) stands for needs the full
    identity code. A search by code is held to the same rule: a code found is confirmed."""
    return basis in REVEAL_BASES


def can_reveal_identity_code(user, request) -> bool:
    """`user`, who may see `request` (within `requests_for`), may have a child's full
    identity code shown: coordinators, the request's social workers, the serving guardian.
    Decided by the basis that let the user in (`access_basis`)."""
    return basis_reveals_identity_code(access_basis(user, request))
