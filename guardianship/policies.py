"""Who may see and do what in guardianship: the scopes and the yes/no questions.

The views, services, templates (through the `can` context processor) and the navigation
ask these functions; nothing else re-derives a rule. In the spirit of rubyforgood/casa's
`app/policies/`: a scope (`requests_for`) beside the questions about one object.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.policies import has_role, holds_role, is_coordinator, signed_in
from accounts.roles import Role
from common.retention import months_ago
from guardianship.enums import (
    OPEN_STATES,
    AccessBasis,
    Actor,
    AssignmentStatus,
    EventKind,
    State,
    StepName,
)
from guardianship.models import Assignment, DocumentKind, GuardianshipRequest
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
    scope = _worker_scope(user)
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


def _worker_scope(user) -> Q:
    """The requests `user` sees as a social worker or team leader (requests_for)."""
    scope = Q(pk__in=[])
    if holds_role(user, Role.SOCIAL_WORKER):
        # Ids, not a subquery: with the ids the planner reads a team's queue in the
        # order of request_unit_queue_idx.
        scope |= Q(created_by=user) | Q(responsible_worker=user)
        if unit_ids(user):
            scope |= Q(unit__in=unit_ids(user))
    if led_unit_ids(user):
        scope |= Q(unit__in=led_unit_ids(user))
    return scope


def search_condition(user, everything, proposed_sees):
    """The condition a search of the request lists puts on requests (within
    `requests_for(user)`): `everything` (the conditions on every searched field) where
    `user` reads the request in full, and `proposed_sees` (on what GUARDIAN_FIELDS[PROPOSED]
    shows, such as the children's first names) where they are only its proposed
    guardian. A search must not confirm a guessed last name or case number that the
    list itself would not show (issue 16, part 2)."""
    if is_coordinator(user) or not holds_role(user, Role.GUARDIAN):
        return everything
    serving = Exists(
        Assignment.objects.filter(
            request=OuterRef("pk"), guardian__user=user, status=AssignmentStatus.ACTIVE
        )
    )
    reads_all = serving | _worker_scope(user)
    return (reads_all & everything) | (~reads_all & proposed_sees)


def lost_part(user, request) -> bool:
    """`user` had a part in `request` that has since ended: their own assignment (any
    status: withdrawn, declined, ended), or the request was once theirs or their team's
    (its recorded history, django-pghistory). A step or note they send on it now comes
    from a page loaded before it changed: a race lost, answered with a message, not a
    look at someone else's case (issue 16, part 4). Anyone else stays refused."""
    if not signed_in(user):
        return False
    if (
        holds_role(user, Role.GUARDIAN)
        and Assignment.objects.filter(request=request, guardian__user=user).exists()
    ):
        return True
    units = set(led_unit_ids(user))
    was_theirs = Q(pk__in=[])
    if holds_role(user, Role.SOCIAL_WORKER):
        units |= unit_ids(user)
        was_theirs = Q(responsible_worker_id=user.pk) | Q(created_by_id=user.pk)
    if units:
        was_theirs |= Q(unit_id__in=units)
    return request.history.filter(was_theirs).exists()


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


# --- What a guardian sees of a request, by the phase of their assignment (issue 13) -----

PROPOSED, APPOINTED, ENDED = "proposed", "appointed", "ended"
PHASE_OF_STATUS = {
    AssignmentStatus.PROPOSED: PROPOSED,
    # Consent given: from here on the guardian serves (applied for, then appointed).
    AssignmentStatus.ACTIVE: APPOINTED,
    AssignmentStatus.ENDED: ENDED,
}

# Everything of a request its page can show, by name. A template shows a part only when
# its name is in `visible` (request_fields); the per-phase tests read the same names.
REQUEST_FIELDS = frozenset(
    {
        "reference",
        "state",
        "urgency",
        "organisation",
        "worker_contacts",
        # The coordinator who runs the search (who proposed the current guardian), with
        # their work phone and e-mail: whom a guardian asks about a proposal.
        "coordinator_contacts",
        # The current guardian's phone and e-mail (guardian_contacts_shown says whose).
        "guardian_contacts",
        "matter",
        "matter_details",
        "deadline",
        "hearing_date",
        # The day a proposed guardian is asked to answer by (answer_by).
        "answer_by",
        "background",  # the guardian wanted: a lawyer, a social-work background
        "legal_tracks",  # child welfare (LSL 22 §), criminal investigation (ETL 4:8) or both
        "payer",
        # The criminal investigation (ETL 4:8, issue 14): the police report number and the
        # investigating unit; who applied, with organisation and contact.
        "investigation",
        "investigation_applicant",
        "sibling_request",
        "submitted_at",
        "court",
        "decision",
        "case_number",
        # The rest of the appointment order: final on, interim, scope, end condition.
        "appointment_order",
        "mandate_ends_on",
        "ended_on",
        "child_first_names",
        "child_last_names",
        # Wherever a child appears (issue 14, part 4), with the mark of a child aged 12 or
        # more, who has a right of their own to be heard (LSL 20–21 §).
        "child_ages",
        "identity_codes",  # the code, or the date of birth when there is none
        "home_municipality",
        "child_languages",  # the mother tongue and whether an interpreter is needed
        "placement",
        "child_view",  # the child's wishes and views (LSL 20 §)
        "custodian_names",
        "custodians",  # relation, contacts and address, and the other information
        # Which custodian cannot act impartially, and which is suspected of the offence.
        "custodian_conflict",
        "conflict_reason",
        "guardian",  # the current guardian and their answer
        "assignment_period",
        "assignments",  # every proposal and its answer
        "decline_reasons",
        "timeline",
        "notes",
        "history",
    }
)
COORDINATOR_ONLY_FIELDS = frozenset({"decline_reasons"})
_PROPOSED_FIELDS = frozenset(
    {
        "reference",
        "state",
        "urgency",
        "organisation",
        # Whom to ask about the proposal, and by when to answer it (issue 16, part 3).
        "coordinator_contacts",
        "answer_by",
        "matter",
        # Which law the guardian would act under: no more than the matter tells (the
        # investigation's details wait for the consent).
        "legal_tracks",
        "hearing_date",
        "background",
        "child_first_names",
        "child_ages",
        "home_municipality",
        "child_languages",
        "custodian_names",
        "guardian",
    }
)
# Enough to decide and to check a conflict of interest; then what the mandate needs; after
# the end, what a late fee claim needs, for GUARDIAN_ENDED_CLAIM_MONTHS (fee claim pages).
GUARDIAN_FIELDS = {
    PROPOSED: _PROPOSED_FIELDS,
    APPOINTED: _PROPOSED_FIELDS
    | {
        "worker_contacts",
        "matter_details",
        "deadline",
        "payer",
        "investigation",
        "investigation_applicant",
        "submitted_at",
        "court",
        "decision",
        "case_number",
        "appointment_order",
        "mandate_ends_on",
        "ended_on",
        "child_last_names",
        "identity_codes",
        "placement",
        "child_view",
        "custodians",
        "custodian_conflict",
        "conflict_reason",
        "assignment_period",
        "timeline",
        "notes",
    },
    ENDED: frozenset({"reference", "assignment_period", "case_number"}),
}
# The court has appointed the guardian: a fee can be claimed for the case (fees.policies).
CLAIMABLE_STATES = (State.APPOINTED, State.ENDED)


def _own_assignments(user, request):
    """The user's assignments on `request`: from the prefetched ones where the page has
    them (the request page), else one query."""
    if "assignments" in getattr(request, "_prefetched_objects_cache", {}):
        return [a for a in request.assignments.all() if a.guardian.user_id == user.pk]
    return list(request.assignments.filter(guardian__user=user))


def _phase(statuses):
    """The most present phase of some assignment statuses: appointed, proposed, ended."""
    for status in (AssignmentStatus.ACTIVE, AssignmentStatus.PROPOSED, AssignmentStatus.ENDED):
        if status in statuses:
            return PHASE_OF_STATUS[status]
    return None


def guardian_phase(user, request):
    """PROPOSED, APPOINTED or ENDED: the phase of `user`'s own assignment on `request`,
    or None when they are not (and were not) its guardian. A declined or withdrawn
    proposal is no phase: that guardian sees nothing of the request."""
    if not holds_role(user, Role.GUARDIAN):
        return None
    return _phase({a.status for a in _own_assignments(user, request)})


def _sees_as_guardian(user, request):
    """`user` sees `request` only as its guardian, not as a coordinator or social worker."""
    return not is_coordinator(user) and not _worker_basis(user, request)


def request_fields(user, request) -> frozenset:
    """The parts of `request` (names of REQUEST_FIELDS) its page shows `user`."""
    if is_coordinator(user):
        return REQUEST_FIELDS
    if _worker_basis(user, request):
        return REQUEST_FIELDS - COORDINATOR_ONLY_FIELDS
    return GUARDIAN_FIELDS.get(guardian_phase(user, request), frozenset())


def guardian_contacts_shown(user, assignment, fields) -> bool:
    """The phone and e-mail of `assignment`'s guardian on the request's page, for `user`
    with `fields` (request_fields): the coordinators, who run the pool, see them always;
    the request's social workers and team leader once the guardian has consented (until
    then the proposal may still be declined, and the guardian's details are the pool's)."""
    if assignment is None or "guardian_contacts" not in fields:
        return False
    return is_coordinator(user) or assignment.status in (
        AssignmentStatus.ACTIVE,
        AssignmentStatus.ENDED,
    )


# Who sees what a non-disclosure for personal safety (turvakielto) protects: a child's
# placement and home municipality, a custodian's address and contacts. The Population
# Information Act (661/2009) 36 § lets them be disclosed only to authorities, and of the
# request's readers only the child's own social workers need them; everyone else (the
# coordinators, a team leader, the guardian) sees that they are protected, and e-mails and
# exports carry none of them anyway.
PROTECTED_ADDRESS_BASES = frozenset({AccessBasis.RESPONSIBLE_WORKER, AccessBasis.TEAM_MEMBER})


def sees_protected_addresses(user, request) -> bool:
    """`user` sees the addresses and contacts a non-disclosure protects on `request`."""
    return _worker_basis(user, request) in PROTECTED_ADDRESS_BASES


def timeline_for(user, request, events, fields):
    """(the events of `request`'s timeline `user` sees, the ids of those whose text they
    read), given the user's `fields` (request_fields). A guardian sees the steps of the
    request and of their own assignment, never another guardian's, without the reasons
    given with them, and the notes meant for them or written by them."""
    if "timeline" not in fields:
        return [], set()
    if not _sees_as_guardian(user, request):
        hidden = set() if "decline_reasons" in fields else {StepName.DECLINE}
        return list(events), {e.pk for e in events if e.action not in hidden}
    own = {a.pk for a in _own_assignments(user, request)}
    shown, texts = [], set()
    for e in events:
        if e.kind == EventKind.STEP:
            if e.assignment_id is None or e.assignment_id in own:
                shown.append(e)
        elif "notes" in fields and (e.for_guardian or e.actor_id == user.pk):
            shown.append(e)
            texts.add(e.pk)
    return shown, texts


def can_add_note(user, request) -> bool:
    """Notes are written by those who read them: not a proposed or former guardian."""
    return "notes" in request_fields(user, request)


def writes_for_guardian(user, request) -> bool:
    """A guardian's own notes are always meant for the guardian too."""
    return _sees_as_guardian(user, request) and guardian_phase(user, request) is not None


def first_names_only(user, requests) -> set:
    """The ids of `requests` (instances or list rows) whose children `user` may know by
    their first names only: those they are only proposed for. No query unless the user
    is a guardian."""
    if not holds_role(user, Role.GUARDIAN) or is_coordinator(user):
        return set()
    requests = [r for r in requests if not _worker_basis(user, r)]
    statuses = {}
    for request_id, status in _guardian_statuses(user, requests):
        statuses.setdefault(request_id, set()).add(status)
    return {
        request_id
        for request_id, found in statuses.items()
        if "child_last_names" not in GUARDIAN_FIELDS[_phase(found)]
    }


def recently_ended(now=None) -> Q:
    """On Assignment: ended less than GUARDIAN_ENDED_CLAIM_MONTHS ago (the assignment's
    end, or the request's where the assignment has no end time recorded)."""
    since = months_ago(settings.GUARDIAN_ENDED_CLAIM_MONTHS, now)
    return Q(status=AssignmentStatus.ENDED) & (
        Q(ended_at__gte=since)
        | Q(ended_at__isnull=True, request__ended_on__gte=timezone.localdate(since))
    )


def former_cases(now=None) -> Q:
    """On Assignment: the ended cases whose guardian may still claim a fee, and sees
    GUARDIAN_FIELDS[ENDED] of them: the court had appointed them, and they ended less than
    GUARDIAN_ENDED_CLAIM_MONTHS ago. Other ended cases are gone for their guardian."""
    return recently_ended(now) & Q(request__state__in=CLAIMABLE_STATES)


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


# --- The request's documents and the consent form (issue 14, part 3) ---------------------

# The parts that work on the request's papers: they prepare the application to the court,
# so they read and add every document. A team leader oversees the work, not the papers.
DOCUMENT_AUTHORITIES = frozenset({Actor.COORDINATOR, Actor.SOCIAL_WORKER})
# What the serving guardian reads: the court's decision and their own signed consent, of
# their own assignment (never a replaced guardian's); and what they add: their consent.
GUARDIAN_DOCUMENT_KINDS = frozenset({DocumentKind.SIGNED_CONSENT, DocumentKind.COURT_DECISION})
GUARDIAN_UPLOAD_KINDS = (DocumentKind.SIGNED_CONSENT,)


def current_of(request):
    """The current assignment (proposed or serving) of `request`: from the prefetched
    assignments where the page has them (with their guardians), else one query."""
    if "assignments" in getattr(request, "_prefetched_objects_cache", {}):
        return next(
            (a for a in request.assignments.all() if a.status in Assignment.VISIBLE_TO_GUARDIAN),
            None,
        )
    return current_assignment(request)


def _works_on_papers(user, request) -> bool:
    """`user` is a coordinator or one of the social workers of `request` (acts_as)."""
    guardian = holds_role(user, Role.GUARDIAN)
    actors = acts_as(user, request, current_of(request) if guardian else None)
    return bool(actors & DOCUMENT_AUTHORITIES)


def own_current_assignment(user, request):
    """`user`'s assignment on `request` if it is the current one (proposed, or serving
    since the consent), else None."""
    if not holds_role(user, Role.GUARDIAN):
        return None
    assignment = current_of(request)
    if assignment is not None and assignment.guardian.user_id == user.pk:
        return assignment
    return None


def _serving_assignment(user, request):
    """`user`'s current assignment once they have consented (ACTIVE), else None."""
    assignment = own_current_assignment(user, request)
    return assignment if assignment and assignment.status == AssignmentStatus.ACTIVE else None


def can_print_consent(user, request) -> bool:
    """The consent form to sign: for the request's social workers and coordinators, who
    hand it to the guardian, and for the guardian of the current assignment, proposed or
    serving (a proposed guardian's form shows only what their phase may see)."""
    return _works_on_papers(user, request) or own_current_assignment(user, request) is not None


def document_kinds_to_upload(user, request) -> list:
    """The kinds of document `user` may add to `request` (a submitted one): every kind for
    its social workers and coordinators; the signed consent for its serving guardian."""
    if request.state == State.DRAFT:
        return []
    if _works_on_papers(user, request):
        return list(DocumentKind)
    if _serving_assignment(user, request) is not None:
        return list(GUARDIAN_UPLOAD_KINDS)
    return []


def can_see_documents(user, request) -> bool:
    """The request page's documents section: its social workers and coordinators, and the
    guardian once they have consented."""
    return _works_on_papers(user, request) or _serving_assignment(user, request) is not None


def documents_for(user, request, queryset=None):
    """The documents of `request` that `user` may list and download. Everything outside
    is refused (404 and a refused row in the access log) by the views."""
    queryset = request.documents.all() if queryset is None else queryset.filter(request=request)
    if _works_on_papers(user, request):
        return queryset
    serving = _serving_assignment(user, request)
    if serving is not None:
        return queryset.filter(kind__in=GUARDIAN_DOCUMENT_KINDS, assignment=serving)
    return queryset.none()


def deletable_documents(user, request, documents) -> set:
    """The ids of `documents` (of `request`, as `documents_for` gives them to `user`) that
    `user` may delete: one uploaded by mistake is deleted, while the request is open, by
    whoever uploaded it or by a coordinator."""
    if request.state not in OPEN_STATES:
        return set()
    coordinator = is_coordinator(user) and _works_on_papers(user, request)
    return {d.pk for d in documents if d.file and (coordinator or d.uploaded_by_id == user.pk)}


def can_delete_document(user, document, request) -> bool:
    seen = documents_for(user, request).filter(pk=document.pk)
    return bool(deletable_documents(user, request, seen))
