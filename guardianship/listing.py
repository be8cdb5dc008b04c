"""The request list's rows, read as plain values.

At 50 rows a page, building model instances for the requests, their organisations and
their children cost more than the SQL did (profiled at 100 000 requests), so the list
reads only the columns it shows, as tuples, and computes each row's text once.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db.models import BooleanField, Exists, F, OuterRef, Q, TextField
from django.db.models.expressions import RawSQL
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.display import choice_labels, short_dates, uuid_url
from common.jinja2 import render_rows
from common.pagination import paginate_without_count
from guardianship.enums import (
    OPEN_STATES,
    UNMATCHED_STATES,
    AssignmentStatus,
    Availability,
    Background,
    Language,
    Matter,
    State,
)
from guardianship.models import (
    Assignment,
    Child,
    Custodian,
    GuardianshipRequest,
    short_reference,
)
from guardianship.models.requests import age_label, age_on, birth_date_of
from municipalities import choices

REQUEST_COLUMNS = (
    "pk",
    "uuid",
    "state",
    "urgency",
    "matter",
    "submitted_at",
    "hearing_date",
    "deadline",
    "organisation_id",
    # Who let the user see the row (guardianship.policies.bases_for, the access log).
    "created_by_id",
    "responsible_worker_id",
    "unit_id",
)


@dataclass(slots=True)
class ChildRow:
    pk: int
    request_id: int
    first_name: str
    last_name: str
    # The date of birth (ISO), or the identity code's date and century sign: no more of
    # the code is read for the list.
    born: str = ""

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def birth_date(self):
        if len(self.born) == 10:
            return datetime.date.fromisoformat(self.born)
        return birth_date_of(self.born)


# Between a child's first and last name in the list's one array of names: a control
# character no name typed into a form holds.
NAME_SEPARATOR = "\x1f"


@dataclass(slots=True)
class RequestRow:
    pk: int
    uuid: object
    state: str
    urgency: str
    matter: str
    submitted_at: object
    hearing_date: object
    deadline: object
    organisation_id: int
    created_by_id: int
    responsible_worker_id: int | None
    unit_id: int | None
    organisation_name: str
    # A child or a custodian has a non-disclosure for personal safety (turvakielto).
    non_disclosure: bool = False
    children: list = field(default_factory=list)
    waiting_too_long: bool = False
    # The row's text, from describe().
    url: str = ""
    state_label: str = ""
    matter_label: str = ""
    children_names: str = ""
    submitted_on: str = ""
    hearing_on: str = ""
    deadline_on: str = ""
    # Days since the request was submitted, while it is open; None otherwise.
    days_waiting: int | None = None

    @property
    def reference(self):
        return short_reference(self.uuid)


# The queue's orders (`?sort=`), a whitelist: any other value is ignored. Each is read
# in the order of an index over the queue's states (GuardianshipRequest.Meta.indexes):
# the default (urgent first, then the longest waiting) request_open_queue_idx; the days
# waiting request_open_submitted_idx (either way); the hearing date and the deadline,
# soonest first and undated last, request_open_hearing_idx and request_open_deadline_idx.
@dataclass(frozen=True, slots=True)
class Sort:
    column: str  # the header that sorts so
    order: tuple
    # How the column's own values run in this order (aria-sort).
    direction: str


SORTS = {
    "urgency": Sort("urgency", ("-urgency", "submitted_at", "pk"), "descending"),
    "waiting": Sort("waiting", ("submitted_at", "pk"), "descending"),
    "-waiting": Sort("waiting", ("-submitted_at", "-pk"), "ascending"),
    "hearing": Sort("hearing", (F("hearing_date").asc(nulls_last=True), "pk"), "ascending"),
    "deadline": Sort("deadline", (F("deadline").asc(nulls_last=True), "pk"), "ascending"),
}
DEFAULT_SORT = "urgency"
# What a header's link sorts by: the days waiting turn around when already sorted by them.
HEADER_SORT = {
    "urgency": "urgency",
    "waiting": "waiting",
    "hearing": "hearing",
    "deadline": "deadline",
}


def sort_of(value):
    """The `?sort=` value if it is one of SORTS, else the default: never an error."""
    return value if value in SORTS else DEFAULT_SORT


def filter_params(params, fields):
    """[(name, value)] of the GET `params` that are the filter form's `fields`: what a
    link of the list carries on (nothing else that was put into the URL)."""
    return [(k, v) for k, values in params.lists() if k in fields for v in values]


def sort_headers(kept, current):
    """{column: {"url": its header's link, "aria_sort": "ascending", "descending" or
    None}}, the links keeping the filters `kept` (filter_params; not the page)."""
    sorted_by = SORTS[current]
    headers = {}
    for column, key in HEADER_SORT.items():
        if column == sorted_by.column and current == "waiting":
            key = "-waiting"
        query = urlencode([*kept, ("sort", key)])
        headers[column] = {
            "url": f"?{query}",
            "aria_sort": sorted_by.direction if column == sorted_by.column else None,
        }
    return headers


# What needs a coordinator's action (`?needs=`, the home page's counts).
def unmatched_too_long():
    """Still without a consenting guardian GUARDIANSHIP_UNMATCHED_DAYS after submission."""
    limit = timezone.now() - datetime.timedelta(days=settings.GUARDIANSHIP_UNMATCHED_DAYS)
    return Q(state__in=UNMATCHED_STATES, submitted_at__lt=limit)


def unanswered_too_long():
    """Proposed to a guardian who has not answered in GUARDIANSHIP_UNANSWERED_DAYS."""
    limit = timezone.now() - datetime.timedelta(days=settings.GUARDIANSHIP_UNANSWERED_DAYS)
    waiting = Assignment.objects.filter(
        request=OuterRef("pk"), status=AssignmentStatus.PROPOSED, proposed_at__lt=limit
    )
    return Q(state=State.PROPOSED) & Q(Exists(waiting))


NEEDS = {"unmatched": unmatched_too_long, "unanswered": unanswered_too_long}


def needs_choices():
    unmatched = settings.GUARDIANSHIP_UNMATCHED_DAYS
    unanswered = settings.GUARDIANSHIP_UNANSWERED_DAYS
    return [
        (
            "unmatched",
            ngettext("Unmatched over %(days)s day", "Unmatched over %(days)s days", unmatched)
            % {"days": unmatched},
        ),
        (
            "unanswered",
            ngettext(
                "Proposal unanswered over %(days)s day",
                "Proposal unanswered over %(days)s days",
                unanswered,
            )
            % {"days": unanswered},
        ),
    ]


def _children_columns():
    """The SQL of the two columns request_rows reads per request beside its own: its
    children, each as "id, first name, last name, born" joined by NAME_SEPARATOR, by id;
    and whether a child or a custodian has a non-disclosure. Written once as SQL, with
    the models' own names: as Django expressions (two array subqueries, two EXISTS, the
    names' concatenation) they took a quarter of the page's time to build and compile
    on every request (issue 18)."""
    request = GuardianshipRequest._meta.db_table
    child = Child._meta.db_table
    custodian = Custodian._meta.db_table
    children = (
        "ARRAY(SELECT c.id::text || %s || c.first_name || %s || c.last_name || %s"
        " || COALESCE(c.date_of_birth::text, LEFT(c.identity_code, 7), '')"
        f' FROM "{child}" c WHERE c.request_id = "{request}".id ORDER BY c.id)'
    )
    protected = (
        f'EXISTS(SELECT FROM "{child}" c WHERE c.request_id = "{request}".id'
        " AND c.non_disclosure)"
        f' OR EXISTS(SELECT FROM "{custodian}" p WHERE p.request_id = "{request}".id'
        " AND p.non_disclosure)"
    )
    return (
        RawSQL(children, (NAME_SEPARATOR,) * 3, output_field=ArrayField(TextField())),
        RawSQL(protected, (), output_field=BooleanField()),
    )


def request_rows(queryset, page_number, per_page):
    """A page (common.pagination.Page) of RequestRow for a queryset of requests.

    The children come in the same query, as an array from a correlated subquery: the
    page is still read in index order and stops after a page, and each row's subqueries
    run for that row only. The organisations' names from memory (municipalities.choices),
    not joined."""
    children, protected = _children_columns()
    columns = (
        queryset.prefetch_related(None)
        .select_related(None)
        .annotate(children_text=children, protected=protected)
        .values_list(*REQUEST_COLUMNS, "children_text", "protected")
    )
    page = paginate_without_count(columns, page_number, per_page)
    rows = [
        RequestRow(*values, organisation_name="", non_disclosure=non_disclosure)
        for *values, _children, non_disclosure in page.object_list
    ]
    names = choices.organisation_names({row.organisation_id for row in rows})
    for row, (*_values, children_text, _protected) in zip(rows, page.object_list, strict=True):
        row.organisation_name = names[row.organisation_id]
        for text in children_text:
            pk, first_name, last_name, born = text.split(NAME_SEPARATOR, 3)
            row.children.append(ChildRow(int(pk), row.pk, first_name, last_name, born))
    page.object_list = rows
    return page


def describe(rows, first_names_only=frozenset()):
    """Each row's text in the active language, computed once per page; the children of
    the requests in `first_names_only` (ids: guardianship.policies.first_names_only) by
    their first names only."""
    states = choice_labels(State.choices)
    matters = choice_labels(Matter.choices)
    url = uuid_url("guardianship:request_detail")
    short_date = short_dates()
    today = timezone.localdate()
    for row in rows:
        row.url = url(row.uuid)
        row.state_label = states.get(row.state, row.state)
        row.matter_label = matters.get(row.matter, row.matter)
        short = row.pk in first_names_only
        row.children_names = ", ".join(
            _with_age(c.first_name if short else c.full_name, age_on(c.birth_date, today))
            for c in row.children
        )
        row.submitted_on = short_date(row.submitted_at)
        row.hearing_on = short_date(row.hearing_date)
        row.deadline_on = short_date(row.deadline)
        if row.state in OPEN_STATES and row.submitted_at is not None:
            row.days_waiting = (today - timezone.localdate(row.submitted_at)).days


def _with_age(name, age):
    return name if age is None else f"{name} ({age_label(age)})"


def describe_guardians(guardians):
    """Each guardian row's text for the pool, computed once per page; their areas
    (`area_ids`) named from memory in the organisations' order, by name."""
    backgrounds = choice_labels(Background.choices)
    languages = choice_labels(Language.choices)
    availabilities = choice_labels(Availability.choices)
    url = uuid_url("guardianship:guardian_detail")
    short_date = short_dates()
    names = choices.organisation_names({pk for g in guardians for pk in g.area_ids})
    order = {pk: position for position, pk in enumerate(names)}
    for g in guardians:
        g.url = url(g.uuid)
        g.background_label = backgrounds.get(g.background, g.background)
        g.languages_label = ", ".join(languages.get(code, code) for code in g.languages)
        g.areas_names = ", ".join(names[pk] for pk in sorted(g.area_ids, key=order.get))
        # Plain text: the template would localise each number on its own.
        g.load_text = f"{g.load} / {g.capacity}"
        g.full = g.load >= g.capacity
        g.availability_label = availabilities.get(g.availability, g.availability)
        if g.availability == Availability.PAUSED:
            g.availability_label += f" ({_('until')} {short_date(g.paused_until)})"


def candidate_items(request, guardianship_request, candidates, step):
    """The matching page's ranked guardians (guardianship.matching.Candidate) as HTML,
    each with the form of `step` ("propose", "reassign" with each candidate's
    `reassign_form`, or None for none), their text computed once per page: through
    Django's engine a page of candidates was a third of the page's time (issue 18)."""
    backgrounds = choice_labels(Background.choices)
    languages = choice_labels(Language.choices)
    url = uuid_url("guardianship:guardian_detail")
    for c in candidates:
        g = c.guardian
        c.url = url(g.uuid)
        c.name = g.full_name
        c.score_text = _("score %(score)s") % {"score": c.score}
        c.summary = " – ".join(
            (
                backgrounds.get(g.background, g.background),
                ", ".join(languages.get(code, code) for code in g.languages),
                _("%(load)s of %(capacity)s cases") % {"load": g.load, "capacity": g.capacity},
            )
        )
        if step == "reassign":
            c.button_label = _("Reassign to %(name)s") % {"name": c.name}
            form = c.reassign_form
            c.reassign_fields = [
                form[name]
                for name in ("reason", "released_on", "release_decision")
                if name in form.fields
            ]
        else:
            c.button_label = _("Propose %(name)s") % {"name": c.name}
    context = {"candidates": candidates, "step": step}
    if step:
        context["step_url"] = reverse(
            "guardianship:request_step",
            kwargs={"uuid": guardianship_request.uuid, "step": step},
        )
        context["csrf_input"] = csrf_input(request)
    return render_rows("guardianship/includes/candidate_items.jinja", context)
