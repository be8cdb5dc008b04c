"""The request list's rows, read as plain values.

At 50 rows a page, building model instances for the requests, their organisations and
their children cost more than the SQL did (profiled at 100 000 requests), so the list
reads only the columns it shows, as tuples, and computes each row's text once.
"""

from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Value
from django.db.models.functions import Concat
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from common.display import choice_labels, short_dates, uuid_url
from common.pagination import paginate_without_count
from guardianship.enums import Availability, Background, Language, Matter, State
from guardianship.models import Child, short_reference

REQUEST_COLUMNS = (
    "pk",
    "uuid",
    "state",
    "urgency",
    "matter",
    "submitted_at",
    "organisation_id",
    # Who let the user see the row (guardianship.policies.bases_for, the access log).
    "created_by_id",
    "responsible_worker_id",
    "unit_id",
    "organisation__name",
    "organisation__name_sv",
)


@dataclass(slots=True)
class ChildRow:
    pk: int
    request_id: int
    first_name: str
    last_name: str

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


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
    organisation_id: int
    created_by_id: int
    responsible_worker_id: int | None
    unit_id: int | None
    organisation_name: str
    children: list = field(default_factory=list)
    waiting_too_long: bool = False
    # The row's text, from describe().
    url: str = ""
    state_label: str = ""
    matter_label: str = ""
    children_names: str = ""
    submitted_on: str = ""

    @property
    def reference(self):
        return short_reference(self.uuid)


def request_rows(queryset, page_number, per_page):
    """A page (common.pagination.Page) of RequestRow for a queryset of requests.

    The children come in the same query, as arrays from correlated subqueries: the
    page is still read in index order and stops after a page, and each row's subqueries
    run for that row only."""
    swedish = get_language() == "sv"  # Organisation has a Swedish name, as display_name
    children = Child.objects.filter(request=OuterRef("pk")).order_by("id")
    columns = (
        queryset.prefetch_related(None)
        .annotate(
            child_ids=ArraySubquery(children.values("pk")),
            child_names=ArraySubquery(
                children.values(name=Concat("first_name", Value(NAME_SEPARATOR), "last_name"))
            ),
        )
        .values_list(*REQUEST_COLUMNS, "child_ids", "child_names")
    )
    page = paginate_without_count(columns, page_number, per_page)
    rows = []
    for *values, name, name_sv, child_ids, child_names in page.object_list:
        row = RequestRow(*values, organisation_name=(swedish and name_sv) or name)
        row.children = [
            ChildRow(pk, row.pk, *name.split(NAME_SEPARATOR, 1))
            for pk, name in zip(child_ids, child_names, strict=True)
        ]
        rows.append(row)
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
    for row in rows:
        row.url = url(row.uuid)
        row.state_label = states.get(row.state, row.state)
        row.matter_label = matters.get(row.matter, row.matter)
        short = row.pk in first_names_only
        row.children_names = ", ".join(c.first_name if short else c.full_name for c in row.children)
        row.submitted_on = short_date(row.submitted_at)


def describe_guardians(guardians):
    """Each guardian row's text for the pool, computed once per page."""
    backgrounds = choice_labels(Background.choices)
    languages = choice_labels(Language.choices)
    availabilities = choice_labels(Availability.choices)
    url = uuid_url("guardianship:guardian_detail")
    short_date = short_dates()
    for g in guardians:
        g.url = url(g.uuid)
        g.background_label = backgrounds.get(g.background, g.background)
        g.languages_label = ", ".join(languages.get(code, code) for code in g.languages)
        g.areas_names = ", ".join(a.display_name for a in g.areas.all())
        # Plain text: the template would localise each number on its own.
        g.load_text = f"{g.load} / {g.capacity}"
        g.full = g.load >= g.capacity
        g.availability_label = availabilities.get(g.availability, g.availability)
        if g.availability == Availability.PAUSED:
            g.availability_label += f" ({_('until')} {short_date(g.paused_until)})"
