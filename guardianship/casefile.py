"""The request's page as a case file (issue 16, part 3): who is involved, the next
deadline, and one timeline of the workflow's steps and the recorded field changes.

Everything here reads what the page has already loaded (the prefetched assignments and
events, the history rows of guardianship.history): no query of its own. What a user may
see of it is decided in guardianship.policies (request_fields, timeline_for,
guardian_contacts_shown); these functions only put the facts in order.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from guardianship.enums import OPEN_STATES, AssignmentStatus, EventKind, State, StepName
from guardianship.models import GuardianshipRequest


def is_open(request) -> bool:
    """A draft or a request still in the workflow: not ended, not cancelled."""
    return request.state == State.DRAFT or request.state in OPEN_STATES


def current_assignment(assignments):
    """The proposed or serving assignment among the request's (prefetched) assignments."""
    current = (AssignmentStatus.PROPOSED, AssignmentStatus.ACTIVE)
    return next((a for a in assignments if a.status in current), None)


def past_assignment(request, assignments):
    """The guardian who served an ended request: its last ended assignment whose guardian
    had consented (started_at), or None."""
    if request.state != State.ENDED:
        return None
    served = [a for a in assignments if a.status == AssignmentStatus.ENDED and a.started_at]
    return served[-1] if served else None


def coordinator_of(assignments, events):
    """The coordinator who runs the search: who proposed the current (else the latest)
    guardian, else who started the search; None before anyone has."""
    current = current_assignment(assignments)
    if current is not None:
        return current.proposed_by
    if assignments:
        return assignments[-1].proposed_by
    started = [e for e in events if e.action == StepName.START_SEARCH]
    return started[-1].actor if started else None


def answer_by(assignment):
    """The day a proposed guardian is asked to answer by: GUARDIANSHIP_ANSWER_DAYS after
    the proposal."""
    if assignment is None or assignment.status != AssignmentStatus.PROPOSED:
        return None
    proposed = timezone.localdate(assignment.proposed_at)
    return proposed + datetime.timedelta(days=settings.GUARDIANSHIP_ANSWER_DAYS)


# The dates a request can be waiting for, by the name of REQUEST_FIELDS that shows them.
DEADLINES = (
    ("answer_by", None),
    ("deadline", "deadline"),
    ("hearing_date", "hearing_date"),
    ("mandate_ends_on", "mandate_ends_on"),
)


def next_deadline(request, fields, current=None, today=None):
    """(label, date) of the nearest date still ahead that `fields` lets the user see: the
    answer to a proposal, the request's deadline, the hearing, the end of the mandate; or
    None. Only while the request is open (an ended one waits for nothing)."""
    if not is_open(request):
        return None
    today = today or timezone.localdate()
    labels = {
        "answer_by": _("The guardian's answer to the proposal"),
        "deadline": _("Deadline"),
        "hearing_date": _("Hearing date"),
        "mandate_ends_on": _("The mandate ends at the latest on"),
    }
    found = []
    for name, attribute in DEADLINES:
        if name not in fields:
            continue
        value = answer_by(current) if attribute is None else getattr(request, attribute)
        if value is not None and value >= today:
            found.append((value, labels[name]))
    if not found:
        return None
    value, label = min(found, key=lambda pair: pair[0])
    return {"label": label, "date": value}


# --- One timeline: the workflow's events and the recorded changes ----------------------


@dataclass
class Change:
    """One field's change in human words: its name, and what it was and became."""

    name: str
    old: str
    new: str


@dataclass
class Entry:
    """A line of the timeline: a workflow event (a step, a note, a contact) with the field
    changes recorded with it, or changes recorded on their own (`event` None)."""

    at: datetime.datetime
    event: object = None
    actor: object = None
    changes: list = field(default_factory=list)
    created: bool = False
    matched: bool = False  # a recorded change is folded into this step


def _display(model_field, value):
    """A recorded value (JSON from the database) as the page shows it."""
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    internal = model_field.get_internal_type()
    if internal == "BooleanField":
        return _("yes") if value else _("no")
    if internal == "DateTimeField":
        parsed = parse_datetime(str(value))
        if parsed is not None:
            return formats.date_format(timezone.localtime(parsed), "SHORT_DATETIME_FORMAT")
    if internal == "DateField":
        parsed = parse_date(str(value))
        if parsed is not None:
            return formats.date_format(parsed, "SHORT_DATE_FORMAT")
    return str(value)


def describe_changes(changes, model=GuardianshipRequest):
    """[Change] of a history row's (field, [old, new]) pairs: the field's verbose name,
    choice labels and dates as the page writes them, never a column name or a code. A
    reference to another row (a team, a worker) is named as changed, without ids."""
    described = []
    for column, (old, new) in changes:
        try:
            model_field = model._meta.get_field(column.removesuffix("_id"))
        except FieldDoesNotExist:
            continue
        name = str(model_field.verbose_name)
        name = name[:1].upper() + name[1:]
        if model_field.is_relation:
            described.append(Change(name, "", ""))
        else:
            described.append(Change(name, _display(model_field, old), _display(model_field, new)))
    return described


def _state_change(row):
    for column, (old, new) in row["changes"]:
        if column == "state":
            return old, new
    return None


def merge_timeline(events, history, users=()):
    """[Entry] oldest first: every event of `events` (those the user sees, in order), and
    the rows of `history` (guardianship.history.history_of, for those who read it). A
    row that changed the state is folded into the step that made that change (the same
    transition, the first not yet matched), its state left out as the step says it; other
    rows stand on their own. `users` name whoever made a row on its own, where known."""
    names = {u.pk: u for u in users if u is not None}
    entries = [Entry(at=e.at, event=e, actor=e.actor) for e in events]
    steps = [x for x in entries if x.event.kind == EventKind.STEP and x.event.to_state]
    for row in history:
        transition = _state_change(row)
        host = None
        if transition is not None:
            old, new = transition
            host = next(
                (
                    x
                    for x in steps
                    if not x.matched
                    and x.event.to_state == new
                    and (not x.event.from_state or x.event.from_state == old)
                ),
                None,
            )
        changes = [(c, v) for c, v in row["changes"] if host is None or c != "state"]
        if host is not None:
            host.matched = True
            host.changes = describe_changes(changes)
            continue
        if row["label"] == "insert":
            entries.append(Entry(at=row["at"], actor=names.get(row["user"]), created=True))
        elif changes:
            described = describe_changes(changes)
            if described:
                entries.append(Entry(at=row["at"], actor=names.get(row["user"]), changes=described))
    entries.sort(key=lambda x: x.at)
    return entries
