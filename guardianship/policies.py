"""Who may see and do what in guardianship: the scopes and the yes/no questions.

The views, services, templates (through the `can` context processor) and the navigation
ask these functions; nothing else re-derives a rule. In the spirit of rubyforgood/casa's
`app/policies/`: a scope (`requests_for`) beside the questions about one object.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.policies import has_role, holds_role, is_coordinator, signed_in
from accounts.roles import Role
from guardianship.enums import Actor, AssignmentStatus, State
from guardianship.models import Assignment, GuardianshipRequest
from guardianship.steps import STEPS

# Roles that may open pages with children's data at all (each then sees only its scope).
CHILD_DATA_ROLES = (Role.COORDINATOR, Role.SOCIAL_WORKER, Role.GUARDIAN)


def requests_for(user, queryset=None):
    """The requests a user may see. Everything outside this is 404 in the views."""
    queryset = GuardianshipRequest.objects.all() if queryset is None else queryset
    if not signed_in(user):
        return queryset.none()
    if is_coordinator(user):
        # Drafts belong to their organisation until they are submitted.
        own_drafts = Q(organisation__in=user.organisations.all())
        return queryset.filter(~Q(state=State.DRAFT) | own_drafts)
    scope = Q(pk__in=[])
    if holds_role(user, Role.SOCIAL_WORKER):
        # Ids, not a subquery (one query more): with the ids the planner reads the
        # organisation's queue in index order instead of sorting all its requests.
        scope |= Q(organisation__in=user.organisation_ids)
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
    if holds_role(user, Role.SOCIAL_WORKER) and request.organisation_id in user.organisation_ids:
        actors.add(Actor.SOCIAL_WORKER)
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
