"""The guardian workflow: one function per step.

received → searching → proposed → consent given → application filed → appointed → ended,
or cancelled before appointment. Each step locks the request (`select_for_update`),
checks who may take it and from which state, records who did it and when, and queues
its emails for after the commit. An illegal step raises `WorkflowError` with a message
for the user; the views show it instead of failing.
"""

import uuid

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.exceptions import WorkflowError
from guardianship import dates, notifications, policies
from guardianship.enums import AssignmentStatus, EndCondition, EventKind, State, StepName
from guardianship.forms import INVESTIGATION_FIELDS, INVESTIGATION_REQUIRED
from guardianship.models import (
    Assignment,
    Custodian,
    Guardian,
    GuardianshipRequest,
    RequestEvent,
)
from guardianship.models.tracks import eighteenth_birthday, payer_of
from guardianship.policies import current_assignment
from guardianship.steps import STEPS


def _lock(request):
    return GuardianshipRequest.objects.select_for_update().get(pk=request.pk)


def _check(request, by, name, assignment=None):
    """The step's rules (guardianship.steps), asked of the policy on the locked row."""
    if not policies.may_act(by, name, request, assignment):
        raise WorkflowError(_("You may not take this step on this request."))
    if request.state not in STEPS[name].from_states:
        raise WorkflowError(
            _("This step is not possible while the request is “%(state)s”.")
            % {"state": request.get_state_display()}
        )


def _refuse(errors):
    """A date rule of guardianship.dates broken: the step is refused with its message."""
    if errors:
        raise WorkflowError(next(iter(errors.values())))


def mandate_end(request, order_ends_on=None, end_condition=""):
    """The day the guardian's mandate ends at the latest, so the portal can remind before
    it does (issue 14): the order's own end date where it gives one; else, where a track of
    the request (or the order) ends the mandate when the child turns 18, the day the OLDEST
    child does. With siblings that is the first part of the mandate to end: the guardian
    then no longer represents that child, while the younger ones' mandate goes on, so the
    reminder must come before it. None when no birth date is known."""
    if order_ends_on:
        return order_ends_on
    conditions = {c for track in request.tracks.all() for c in track.end_conditions}
    if EndCondition.AGE_OF_MAJORITY not in conditions | {end_condition}:
        return None
    births = [c.birth_date for c in request.children.all() if c.birth_date]
    return eighteenth_birthday(min(births)) if births else None


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
    _check(request, by, StepName.SUBMIT)
    if not request.tracks.exists():
        raise WorkflowError(_("Choose the legal track of the request before submitting it."))
    # A draft is saved with whatever was typed (issue 16): what a request needs is
    # checked here, for a draft submitted from its page as much as from the form.
    missing = missing_for_submit(request)
    if missing:
        raise WorkflowError(
            _("The draft is not complete. Edit it and fill in: %(fields)s.")
            % {"fields": ", ".join(missing)}
        )
    today = timezone.localdate()
    if dates.adults_on(request.children.all(), today) or any(
        c.birth_date and c.birth_date > today for c in request.children.all()
    ):
        raise WorkflowError(
            _("A guardian is appointed only for a child under 18: check the dates of birth.")
        )
    if not any(t.records_investigation for t in request.tracks.all()):
        # The investigation's details and who is suspected are kept only on a track that
        # records the criminal investigation (ETL 4:8); a draft keeps what was typed.
        GuardianshipRequest.objects.filter(pk=request.pk).update(
            **dict.fromkeys(INVESTIGATION_FIELDS, "")
        )
        request.custodians.filter(suspect=True).update(suspect=False)
    request.submitted_at = timezone.now()
    _move(request, by, StepName.SUBMIT, State.RECEIVED, fields=["submitted_at"])
    notifications.new_request(request, by=by)
    return request


@transaction.atomic
def start_search(request, *, by):
    request = _lock(request)
    _check(request, by, StepName.START_SEARCH)
    return _move(request, by, StepName.START_SEARCH, State.SEARCHING)


def _required(model, names):
    """The fields among `names` that a form requires (a yes/no is never missing)."""
    fields = [model._meta.get_field(n) for n in names]
    return [f.name for f in fields if not f.blank and not isinstance(f, models.BooleanField)]


def missing_for_submit(request):
    """The names of what a request needs before it is sent and its draft lacks: the
    fields its form requires, a child at least, each child's required fields and a code
    or a date of birth, each custodian's name and relation."""
    from guardianship.forms import ChildForm, CustodianForm, GuardianshipRequestForm

    def label(model, name):
        return str(model._meta.get_field(name).verbose_name)

    model = GuardianshipRequest
    missing = [
        label(model, name)
        for name in _required(model, GuardianshipRequestForm._meta.fields)
        if not model._meta.get_field(name).many_to_many and not getattr(request, name)
    ]
    if any(t.records_investigation for t in request.tracks.all()):
        missing += [label(model, n) for n in INVESTIGATION_REQUIRED if not getattr(request, n)]
    children = list(request.children.all())
    if not children:
        missing.append(str(_("a child")))
    for number, child in enumerate(children, 1):
        names = [
            label(type(child), name)
            for name in _required(type(child), ChildForm._meta.fields)
            if not getattr(child, name)
        ]
        if not child.identity_code and not child.date_of_birth:
            names.append(str(_("the identity code or the date of birth")))
        missing += [
            _("child %(number)s: %(field)s") % {"number": number, "field": name} for name in names
        ]
    # The form asks for a custodian at least; requests from before the custodian rows
    # (issue 14) have none, so only the rows there are checked here.
    for number, custodian in enumerate(request.custodians.all(), 1):
        missing += [
            _("custodian %(number)s: %(field)s")
            % {"number": number, "field": label(Custodian, name)}
            for name in (*_required(Custodian, CustodianForm._meta.fields), "relation")
            if not getattr(custodian, name)
        ]
    return missing


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
    _check(request, by, StepName.PROPOSE)
    assignment = _new_proposal(request, guardian, by)
    _move(request, by, StepName.PROPOSE, State.PROPOSED, assignment=assignment, text=text)
    notifications.proposal(assignment, by=by)
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
    _check(request, by, StepName.ACCEPT, assignment)
    now = timezone.now()
    assignment.status = AssignmentStatus.ACTIVE
    assignment.responded_at = assignment.started_at = now
    assignment.save(update_fields=["status", "responded_at", "started_at"])
    _move(request, by, StepName.ACCEPT, State.CONSENT_GIVEN, assignment=assignment)
    notifications.consent_given(request, by=by)
    return assignment


@transaction.atomic
def decline_proposal(assignment, *, by, reason):
    if not reason.strip():
        raise WorkflowError(_("Tell why the proposal is declined."))
    request, assignment = _lock_assignment(assignment)
    _check(request, by, StepName.DECLINE, assignment)
    assignment.status = AssignmentStatus.DECLINED
    assignment.responded_at = timezone.now()
    assignment.decline_reason = reason.strip()
    assignment.save(update_fields=["status", "responded_at", "decline_reason"])
    _move(
        request, by, StepName.DECLINE, State.SEARCHING, assignment=assignment, text=reason.strip()
    )
    notifications.declined(assignment, by=by)
    return assignment


@transaction.atomic
def withdraw_proposal(request, *, by, reason=""):
    request = _lock(request)
    _check(request, by, StepName.WITHDRAW)
    assignment = current_assignment(request)
    assignment.status = AssignmentStatus.WITHDRAWN
    assignment.responded_at = timezone.now()
    assignment.save(update_fields=["status", "responded_at"])
    return _move(
        request, by, StepName.WITHDRAW, State.SEARCHING, assignment=assignment, text=reason
    )


@transaction.atomic
def file_application(request, *, by, court, filed_on):
    request = _lock(request)
    _check(request, by, StepName.FILE_APPLICATION)
    _refuse(dates.filing_errors(request, filed_on))
    request.court = court
    request.application_filed_on = filed_on
    return _move(
        request,
        by,
        StepName.FILE_APPLICATION,
        State.APPLICATION_FILED,
        fields=["court", "application_filed_on"],
    )


@transaction.atomic
def record_appointment(
    request,
    *,
    by,
    court,
    decision_date,
    case_number,
    final_on=None,
    interim_order=False,
    mandate_scope="",
    end_condition="",
    mandate_ends_on=None,
):
    """The appointment order as a record (issue 14, part 2): the court or authority, its
    case number (diaarinumero), the decision's date and the date it became final, whether
    it is an interim order, the mandate's scope and end condition as the order words them,
    and the day the mandate ends at the latest (`mandate_end`)."""
    request = _lock(request)
    _check(request, by, StepName.RECORD_APPOINTMENT)
    _refuse(dates.appointment_errors(request, decision_date, final_on, mandate_ends_on))
    request.court = court or request.court
    request.decision_date = decision_date
    request.case_number = case_number
    # Every field of the order is set anew: after a reassignment the next order replaces
    # the previous one (which stays in the history).
    request.final_on = final_on
    request.interim_order = interim_order
    request.mandate_scope = mandate_scope.strip()
    request.end_condition = end_condition
    request.mandate_ends_on = mandate_end(request, mandate_ends_on, end_condition)
    _move(
        request,
        by,
        StepName.RECORD_APPOINTMENT,
        State.APPOINTED,
        assignment=current_assignment(request),
        fields=[
            "court",
            "decision_date",
            "case_number",
            "final_on",
            "interim_order",
            "mandate_scope",
            "end_condition",
            "mandate_ends_on",
        ],
    )
    notifications.appointed(request, by=by)
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
    _check(request, by, StepName.END)
    assignment = _end_current(request, reason.strip(), timezone.now())
    request.ended_on = ended_on
    request.end_reason = reason.strip()
    _move(
        request,
        by,
        StepName.END,
        State.ENDED,
        assignment=assignment,
        text=reason.strip(),
        fields=["ended_on", "end_reason"],
    )
    notifications.ended(request, by=by)
    return request


@transaction.atomic
def cancel_request(request, *, by, reason):
    if not reason.strip():
        raise WorkflowError(_("Give the reason for cancelling."))
    request = _lock(request)
    _check(request, by, StepName.CANCEL)
    assignment = _end_current(request, reason.strip(), timezone.now())
    request.end_reason = reason.strip()
    return _move(
        request,
        by,
        StepName.CANCEL,
        State.CANCELLED,
        assignment=assignment,
        text=reason.strip(),
        fields=["end_reason"],
    )


@transaction.atomic
def reassign_guardian(request, guardian, *, by, reason, released_on=None, release_decision=""):
    """End the serving guardian's assignment and propose another; nothing is deleted.
    An appointed guardian is released by the court: its decision (`released_on`,
    `release_decision`) is recorded on the ended assignment (issue 14, part 2)."""
    if not reason.strip():
        raise WorkflowError(_("Give the reason for the reassignment."))
    request = _lock(request)
    _check(request, by, StepName.REASSIGN)
    _refuse(dates.release_errors(request, released_on, release_decision.strip()))
    old = _end_current(request, reason.strip(), timezone.now())
    if old is not None and old.guardian_id == guardian.pk:
        raise WorkflowError(_("Choose a different guardian."))
    if old is not None and (released_on or release_decision.strip()):
        old.released_on = released_on
        old.release_decision = release_decision.strip()
        old.save(update_fields=["released_on", "release_decision"])
    assignment = _new_proposal(request, guardian, by)
    _move(
        request, by, StepName.REASSIGN, State.PROPOSED, assignment=assignment, text=reason.strip()
    )
    notifications.proposal(assignment, by=by)
    return assignment


@transaction.atomic
def add_note(request, *, by, text, kind=EventKind.NOTE, for_guardian=False):
    """A note on the timeline; `for_guardian` shows it to the serving guardian too (a
    guardian's own notes always are). A proposed or former guardian may not write one."""
    if not text.strip():
        raise WorkflowError(_("The note is empty."))
    if not policies.can_add_note(by, request):
        raise WorkflowError(_("You may not add notes to this request."))
    return RequestEvent.objects.create(
        request=request,
        kind=kind,
        actor=by,
        text=text.strip(),
        at=timezone.now(),
        for_guardian=for_guardian or policies.writes_for_guardian(by, request),
    )


def earlier_request(key, *, by):
    """The request an earlier post of the same form (its idempotency key) created, if any."""
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        return None
    return GuardianshipRequest.objects.filter(idempotency_key=key, created_by=by).first()


@transaction.atomic
def save_request(form, children, custodians, *, by, submit=False):
    """Save a request form (new or a draft) with its children's and custodians' formsets;
    submit it if asked. A new request keeps the form's idempotency key, so a second post
    of the same form cannot create it twice (`create_request`)."""
    request = form.save(commit=False)
    if request.pk is None:
        request.created_by = by
        # The filer is responsible until the request is transferred (the "transfer" step).
        request.responsible_worker = by
        request.idempotency_key = form.cleaned_data["idempotency_key"]
    # Who pays follows from the legal tracks (issue 14): the county on the child-welfare
    # track, the state on the criminal-investigation track alone.
    request.payer = payer_of(form.cleaned_data.get("tracks") or [])
    request.save()
    form.save_m2m()
    children.instance = request
    children.save()
    custodians.instance = request
    custodians.save()
    request.mandate_ends_on = mandate_end(request)
    request.save(update_fields=["mandate_ends_on"])
    if submit:
        submit_request(request, by=by)
    return request


def create_request(form, children, custodians, *, by, submit=False):
    """(request, created): a new request, or the one an earlier post of the same form
    made. A key that is somebody else's raises WorkflowError."""
    key = form.cleaned_data["idempotency_key"]
    try:
        with transaction.atomic():
            return save_request(form, children, custodians, by=by, submit=submit), True
    except IntegrityError:
        earlier = earlier_request(key, by=by)
        if earlier is None:
            raise WorkflowError(
                _("The request could not be saved. Please send it again.")
            ) from None
        return earlier, False


@transaction.atomic
def transfer_request(request, *, by, unit, responsible_worker=None, reason=""):
    """Hand the request to `unit` (a team) and, optionally, a social worker of it."""
    request = _lock(request)
    _check(request, by, StepName.TRANSFER)
    if (
        responsible_worker is not None
        and not unit.members.filter(pk=responsible_worker.pk).exists()
    ):
        raise WorkflowError(
            _("%(name)s is not a member of %(unit)s.")
            % {"name": responsible_worker.get_full_name() or responsible_worker, "unit": unit}
        )
    if unit.pk == request.unit_id and responsible_worker is None:
        raise WorkflowError(_("The request already belongs to this team."))
    request.unit = unit
    request.responsible_worker = responsible_worker
    request.save(update_fields=["unit", "responsible_worker", "updated_at"])
    to = str(unit)
    if responsible_worker is not None:
        to = f"{to}: {responsible_worker.get_full_name() or responsible_worker.get_username()}"
    RequestEvent.objects.create(
        request=request,
        kind=EventKind.STEP,
        action=StepName.TRANSFER,
        actor=by,
        text=f"→ {to}" + (f"\n{reason}" if reason else ""),
    )
    return request
