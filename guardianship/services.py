"""The guardian workflow: one function per step.

received → searching → proposed → consent given → application filed → appointed → ended,
or cancelled before appointment. Each step locks the request (`select_for_update`),
checks who may take it and from which state, records who did it and when, and queues
its emails for after the commit. An illegal step raises `WorkflowError` with a message
for the user; the views show it instead of failing.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from common.exceptions import WorkflowError
from guardianship import notifications
from guardianship.enums import AssignmentStatus, EventKind, State
from guardianship.models import Assignment, Guardian, GuardianshipRequest, RequestEvent

COORDINATOR = "coordinator"
SOCIAL_WORKER = "social_worker"
GUARDIAN = "guardian"


@dataclass(frozen=True)
class Step:
    label: str
    from_states: tuple
    actors: tuple


STEPS = {
    "submit": Step(gettext_lazy("Submitted"), (State.DRAFT,), (SOCIAL_WORKER,)),
    "start_search": Step(gettext_lazy("Search started"), (State.RECEIVED,), (COORDINATOR,)),
    "propose": Step(
        gettext_lazy("Guardian proposed"), (State.RECEIVED, State.SEARCHING), (COORDINATOR,)
    ),
    "withdraw": Step(gettext_lazy("Proposal withdrawn"), (State.PROPOSED,), (COORDINATOR,)),
    "accept": Step(gettext_lazy("Consent given"), (State.PROPOSED,), (GUARDIAN, COORDINATOR)),
    "decline": Step(gettext_lazy("Proposal declined"), (State.PROPOSED,), (GUARDIAN, COORDINATOR)),
    "file_application": Step(
        gettext_lazy("Application filed"), (State.CONSENT_GIVEN,), (SOCIAL_WORKER, COORDINATOR)
    ),
    "record_appointment": Step(
        gettext_lazy("Appointed"),
        (State.APPLICATION_FILED,),
        (SOCIAL_WORKER, COORDINATOR, GUARDIAN),
    ),
    "end": Step(gettext_lazy("Ended"), (State.APPOINTED,), (SOCIAL_WORKER, COORDINATOR, GUARDIAN)),
    "cancel": Step(
        gettext_lazy("Cancelled"),
        (
            State.DRAFT,
            State.RECEIVED,
            State.SEARCHING,
            State.PROPOSED,
            State.CONSENT_GIVEN,
            State.APPLICATION_FILED,
        ),
        (SOCIAL_WORKER, COORDINATOR),
    ),
    "reassign": Step(
        gettext_lazy("Guardian reassigned"),
        (State.CONSENT_GIVEN, State.APPLICATION_FILED, State.APPOINTED),
        (COORDINATOR,),
    ),
}


def current_assignment(request):
    return (
        request.assignments.select_related("guardian", "guardian__user")
        .filter(status__in=[AssignmentStatus.PROPOSED, AssignmentStatus.ACTIVE])
        .first()
    )


def acts_as(user, request, assignment=None):
    """The workflow roles `user` holds for this request."""
    roles = set()
    if user.is_superuser or user.has_role(Role.COORDINATOR):
        roles.add(COORDINATOR)
    if user.has_role(Role.SOCIAL_WORKER) and request.organisation_id in user.organisation_ids:
        roles.add(SOCIAL_WORKER)
    if user.has_role(Role.GUARDIAN):
        assignment = assignment or current_assignment(request)
        if assignment is not None and assignment.guardian.user_id == user.pk:
            roles.add(GUARDIAN)
    return roles


def allowed_steps(request, user):
    """The steps `user` may take now, for showing the right buttons."""
    roles = acts_as(user, request)
    return {
        name
        for name, step in STEPS.items()
        if request.state in step.from_states and roles.intersection(step.actors)
    }


def _lock(request):
    return GuardianshipRequest.objects.select_for_update().get(pk=request.pk)


def _check(request, by, name, assignment=None):
    step = STEPS[name]
    if not acts_as(by, request, assignment).intersection(step.actors):
        raise WorkflowError(_("You may not take this step on this request."))
    if request.state not in step.from_states:
        raise WorkflowError(
            _("This step is not possible while the request is “%(state)s”.")
            % {"state": request.get_state_display()}
        )


def _move(request, by, name, to_state, *, text="", assignment=None, fields=()):
    now = timezone.now()
    from_state = request.state
    request.state = to_state
    request.state_changed_at = now
    request.save(update_fields=["state", "state_changed_at", "updated_at", *fields])
    RequestEvent.objects.create(
        request=request,
        kind=EventKind.STEP,
        action=name,
        from_state=from_state,
        to_state=to_state,
        actor=by,
        assignment=assignment,
        at=now,
        text=text,
    )
    return request


@transaction.atomic
def submit_request(request, *, by):
    request = _lock(request)
    _check(request, by, "submit")
    request.submitted_at = timezone.now()
    _move(request, by, "submit", State.RECEIVED, fields=["submitted_at"])
    notifications.new_request(request)
    return request


@transaction.atomic
def start_search(request, *, by):
    request = _lock(request)
    _check(request, by, "start_search")
    return _move(request, by, "start_search", State.SEARCHING)


def _new_proposal(request, guardian, by):
    guardian = Guardian.objects.get(pk=guardian.pk)
    if not guardian.is_available():
        raise WorkflowError(
            _("%(name)s is not available and cannot be proposed.") % {"name": guardian.full_name}
        )
    try:
        with transaction.atomic():
            return Assignment.objects.create(request=request, guardian=guardian, proposed_by=by)
    except IntegrityError:
        raise WorkflowError(_("Another guardian is already proposed for this request.")) from None


@transaction.atomic
def propose_guardian(request, guardian, *, by, text=""):
    request = _lock(request)
    if request.state == State.PROPOSED:
        raise WorkflowError(
            _("A guardian has just been proposed for this request by someone else.")
        )
    _check(request, by, "propose")
    assignment = _new_proposal(request, guardian, by)
    _move(request, by, "propose", State.PROPOSED, assignment=assignment, text=text)
    notifications.proposal(assignment)
    return assignment


def _lock_assignment(assignment):
    request = _lock(assignment.request)
    assignment = (
        Assignment.objects.select_for_update().select_related("guardian").get(pk=assignment.pk)
    )
    if assignment.status != AssignmentStatus.PROPOSED:
        raise WorkflowError(_("This proposal has already been answered or withdrawn."))
    return request, assignment


@transaction.atomic
def accept_proposal(assignment, *, by):
    request, assignment = _lock_assignment(assignment)
    _check(request, by, "accept", assignment)
    now = timezone.now()
    assignment.status = AssignmentStatus.ACTIVE
    assignment.responded_at = assignment.started_at = now
    assignment.save(update_fields=["status", "responded_at", "started_at"])
    _move(request, by, "accept", State.CONSENT_GIVEN, assignment=assignment)
    notifications.consent_given(request)
    return assignment


@transaction.atomic
def decline_proposal(assignment, *, by, reason):
    if not reason.strip():
        raise WorkflowError(_("Tell why the proposal is declined."))
    request, assignment = _lock_assignment(assignment)
    _check(request, by, "decline", assignment)
    assignment.status = AssignmentStatus.DECLINED
    assignment.responded_at = timezone.now()
    assignment.decline_reason = reason.strip()
    assignment.save(update_fields=["status", "responded_at", "decline_reason"])
    _move(request, by, "decline", State.SEARCHING, assignment=assignment, text=reason.strip())
    notifications.declined(assignment)
    return assignment


@transaction.atomic
def withdraw_proposal(request, *, by, reason=""):
    request = _lock(request)
    _check(request, by, "withdraw")
    assignment = current_assignment(request)
    assignment.status = AssignmentStatus.WITHDRAWN
    assignment.responded_at = timezone.now()
    assignment.save(update_fields=["status", "responded_at"])
    return _move(request, by, "withdraw", State.SEARCHING, assignment=assignment, text=reason)


@transaction.atomic
def file_application(request, *, by, court, filed_on):
    request = _lock(request)
    _check(request, by, "file_application")
    request.court = court
    request.application_filed_on = filed_on
    return _move(
        request,
        by,
        "file_application",
        State.APPLICATION_FILED,
        fields=["court", "application_filed_on"],
    )


@transaction.atomic
def record_appointment(request, *, by, court, decision_date, case_number):
    request = _lock(request)
    _check(request, by, "record_appointment")
    request.court = court or request.court
    request.decision_date = decision_date
    request.case_number = case_number
    _move(
        request,
        by,
        "record_appointment",
        State.APPOINTED,
        assignment=current_assignment(request),
        fields=["court", "decision_date", "case_number"],
    )
    notifications.appointed(request)
    return request


def _end_current(request, reason, now):
    assignment = current_assignment(request)
    if assignment is None:
        return None
    if assignment.status == AssignmentStatus.PROPOSED:
        assignment.status = AssignmentStatus.WITHDRAWN
        assignment.responded_at = now
        assignment.save(update_fields=["status", "responded_at"])
    else:
        assignment.status = AssignmentStatus.ENDED
        assignment.ended_at = now
        assignment.end_reason = reason
        assignment.save(update_fields=["status", "ended_at", "end_reason"])
    return assignment


@transaction.atomic
def end_request(request, *, by, ended_on, reason):
    if not reason.strip():
        raise WorkflowError(_("Give the reason the matter ended."))
    request = _lock(request)
    _check(request, by, "end")
    assignment = _end_current(request, reason.strip(), timezone.now())
    request.ended_on = ended_on
    request.end_reason = reason.strip()
    _move(
        request,
        by,
        "end",
        State.ENDED,
        assignment=assignment,
        text=reason.strip(),
        fields=["ended_on", "end_reason"],
    )
    notifications.ended(request)
    return request


@transaction.atomic
def cancel_request(request, *, by, reason):
    if not reason.strip():
        raise WorkflowError(_("Give the reason for cancelling."))
    request = _lock(request)
    _check(request, by, "cancel")
    assignment = _end_current(request, reason.strip(), timezone.now())
    request.end_reason = reason.strip()
    return _move(
        request,
        by,
        "cancel",
        State.CANCELLED,
        assignment=assignment,
        text=reason.strip(),
        fields=["end_reason"],
    )


@transaction.atomic
def reassign_guardian(request, guardian, *, by, reason):
    """End the serving guardian's assignment and propose another; nothing is deleted."""
    if not reason.strip():
        raise WorkflowError(_("Give the reason for the reassignment."))
    request = _lock(request)
    _check(request, by, "reassign")
    old = _end_current(request, reason.strip(), timezone.now())
    if old is not None and old.guardian_id == guardian.pk:
        raise WorkflowError(_("Choose a different guardian."))
    assignment = _new_proposal(request, guardian, by)
    _move(request, by, "reassign", State.PROPOSED, assignment=assignment, text=reason.strip())
    notifications.proposal(assignment)
    return assignment


@transaction.atomic
def add_note(request, *, by, text, kind=EventKind.NOTE):
    if not text.strip():
        raise WorkflowError(_("The note is empty."))
    return RequestEvent.objects.create(
        request=request, kind=kind, actor=by, text=text.strip(), at=timezone.now()
    )
