"""Regional statistics of guardianship requests: aggregates computed in PostgreSQL.

Each query returns rows of aggregates, in a fixed number of queries whatever the amount
of data; nothing about a single child, guardian or request leaves the database.
The tables built from them pass every figure through `publish()`, the one place of
small-cell suppression, so the page, its charts and the CSV downloads show the same
numbers: a count of 1-4 is "<5" and a median of fewer than five requests is "<5", as
Statistics Finland and THL publish, so that no child of a small municipality can be
singled out. No totals are shown: they would give the suppressed cells away.

Years and month ends are those of Europe/Helsinki, where the requests are made.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import connections
from django.db.models import Aggregate, Count, F, FloatField, Func, OuterRef, Q, Subquery
from django.db.models.functions import ExtractYear, Round
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.routers import read_alias
from guardianship.enums import Availability, Matter, State, StepName
from guardianship.models import Child, Guardian, GuardianshipRequest, RequestEvent

HELSINKI = ZoneInfo("Europe/Helsinki")
SMALL_CELL = 5
SUPPRESSED = "<5"
# Guardians' active cases are counted 0, 1, 2, 3 and "4 or more".
LOAD_TOP = 4
UNMATCHED_MONTHS = 24
# The milestones whose waiting time is measured: the first event of each action.
MILESTONES = [
    (StepName.PROPOSE, _("Days to the first proposal")),
    (StepName.ACCEPT, _("Days to consent")),
    (StepName.RECORD_APPOINTMENT, _("Days to appointment")),
]
# Events after which a request no longer waits for a guardian's consent.
MATCHED_OR_CLOSED = [StepName.ACCEPT, StepName.CANCEL, StepName.END]


def publish(value, *, base=None):
    """A figure as it may be shown: the only rule of small-cell suppression.

    A count (no `base`) of 1-4 becomes "<5"; 0 stays 0. A statistic computed from `base`
    requests, such as a median, becomes "<5" when the base is 1-4 and None (nothing to
    show) when it is 0.
    """
    if base is None:
        return SUPPRESSED if 0 < value < SMALL_CELL else value
    if not base or value is None:
        return None
    return SUPPRESSED if base < SMALL_CELL else value


# Database expressions ------------------------------------------------------------------


class Median(Aggregate):
    """The continuous median, PostgreSQL's percentile_cont(0.5); NULLs are ignored."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class DaysBetween(Func):
    """`end - start` of two timestamps as fractional days; NULL when either is NULL."""

    template = "EXTRACT(EPOCH FROM (%(expressions)s))::double precision / 86400"
    arg_joiner = " - "
    arity = 2
    output_field = FloatField()


def _submission_year():
    return ExtractYear("submitted_at", tzinfo=HELSINKI)


def _first_event_at(action):
    return Subquery(
        RequestEvent.objects.filter(request=OuterRef("pk"), action=action)
        .order_by("at")
        .values("at")[:1]
    )


# Queries -------------------------------------------------------------------------------


def requests_by_municipality():
    """Rows of (organisation id, name, name_sv, year, requests) of submitted requests.

    A request counts once for each home municipality of its children, so siblings of
    one municipality count once.
    """
    return list(
        Child.objects.exclude(request__state=State.DRAFT)
        .annotate(year=ExtractYear("request__submitted_at", tzinfo=HELSINKI))
        .values(
            "year",
            municipality=F("home_municipality"),
            name=F("home_municipality__name"),
            name_sv=F("home_municipality__name_sv"),
        )
        .annotate(requests=Count("request", distinct=True))
        .order_by("name", "municipality", "year")
    )


def requests_by_matter():
    """Rows of (matter, year, requests) of submitted requests."""
    return list(
        GuardianshipRequest.objects.submitted()
        .annotate(year=_submission_year())
        .values("matter", "year")
        .annotate(requests=Count("pk"))
        .order_by("matter", "year")
    )


def _milestone_aggregates():
    """For each milestone, the median days from submission and how many requests it has."""
    aggregates = {}
    for action, _label in MILESTONES:
        days = DaysBetween(_first_event_at(action), F("submitted_at"))
        aggregates[f"median_{action}"] = Round(Median(days), 1)
        aggregates[f"n_{action}"] = Count(days)
    return aggregates


def median_days():
    """(rows per year of submission, overall row): medians in days to one decimal, each
    with the number of requests it is computed from (`n_<action>`)."""
    requests = GuardianshipRequest.objects.submitted()
    by_year = list(
        requests.annotate(year=_submission_year())
        .values("year")
        .annotate(**_milestone_aggregates())
        .order_by("year")
    )
    overall = requests.aggregate(**_milestone_aggregates())
    return by_year, overall


def guardian_load():
    """{active cases: guardians} of the guardians who are not inactive; the last bucket
    (`LOAD_TOP`) holds those with that many cases or more."""
    buckets = {f"load_{n}": Count("pk", filter=Q(load=n)) for n in range(LOAD_TOP)}
    buckets[f"load_{LOAD_TOP}"] = Count("pk", filter=Q(load__gte=LOAD_TOP))
    counts = (
        Guardian.objects.exclude(availability=Availability.INACTIVE)
        .with_load()
        .aggregate(**buckets)
    )
    return {n: counts[f"load_{n}"] for n in range(LOAD_TOP + 1)}


UNMATCHED_SQL = """
SELECT months.month_end, COUNT(r.id)
FROM generate_series(%(first)s::timestamp, %(last)s::timestamp, interval '1 month')
    AS months(month_end)
LEFT JOIN {requests} r
    ON r.state <> %(draft)s
    AND r.submitted_at < (months.month_end AT TIME ZONE %(tz)s)
    AND NOT EXISTS (
        SELECT 1 FROM {events} e
        WHERE e.request_id = r.id
            AND e.action = ANY(%(actions)s)
            AND e.at < (months.month_end AT TIME ZONE %(tz)s)
    )
GROUP BY months.month_end
ORDER BY months.month_end
"""


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def unmatched_by_month(today=None, months=UNMATCHED_MONTHS):
    """[(month, requests)] for each of the last `months` completed months: the submitted
    requests that at the end of the month (midnight, Helsinki time) had no consent yet
    and were not cancelled or ended. `month` is the first day of the month."""
    today = today or timezone.localdate(timezone=HELSINKI)
    last_end = today.replace(day=1)
    connection = connections[read_alias()]
    quote = connection.ops.quote_name
    sql = UNMATCHED_SQL.format(
        requests=quote(GuardianshipRequest._meta.db_table),
        events=quote(RequestEvent._meta.db_table),
    )
    params = {
        "first": _add_months(last_end, 1 - months),
        "last": last_end,
        "tz": str(HELSINKI),
        "draft": State.DRAFT.value,
        "actions": MATCHED_OR_CLOSED,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [(_add_months(month_end.date(), -1), count) for month_end, count in rows]


# Tables (suppressed) -------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple  # published values: int, float, SUPPRESSED or None
    key: object = None


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    row_heading: str
    columns: tuple
    rows: tuple
    description: str = ""


def _organisation_name(row):
    return row["name_sv"] if get_language() == "sv" and row["name_sv"] else row["name"]


def _pivot_by_year(rows, key):
    """{row key: {year: requests}} and the sorted years of `rows`."""
    cells = {}
    for row in rows:
        cells.setdefault(row[key], {})[row["year"]] = row["requests"]
    return cells, sorted({row["year"] for row in rows})


def municipality_table():
    rows = requests_by_municipality()
    cells, years = _pivot_by_year(rows, "municipality")
    names = {row["municipality"]: _organisation_name(row) for row in rows}
    return Table(
        slug="municipalities",
        title=_("Requests by the child's home municipality and year"),
        row_heading=_("Home municipality"),
        columns=tuple(str(year) for year in years),
        rows=tuple(
            Row(names[pk], tuple(publish(by_year.get(year, 0)) for year in years), key=pk)
            for pk, by_year in sorted(cells.items(), key=lambda item: names[item[0]])
        ),
        description=_(
            "A request counts once for each home municipality of its children. "
            "Municipalities with no requests are not listed."
        ),
    )


def matter_table():
    cells, years = _pivot_by_year(requests_by_matter(), "matter")
    return Table(
        slug="matters",
        title=_("Requests by matter and year"),
        row_heading=_("Matter"),
        columns=tuple(str(year) for year in years),
        rows=tuple(
            Row(
                label,
                tuple(publish(cells.get(value, {}).get(year, 0)) for year in years),
                key=value,
            )
            for value, label in Matter.choices
        ),
    )


def _median_cells(row):
    return tuple(
        publish(row[f"median_{action}"], base=row[f"n_{action}"]) for action, _label in MILESTONES
    )


def median_table():
    by_year, overall = median_days()
    rows = [Row(str(row["year"]), _median_cells(row), key=row["year"]) for row in by_year]
    if by_year:
        rows.append(Row(_("All years"), _median_cells(overall), key="all"))
    return Table(
        slug="medians",
        title=_("Median days from submission, by year of submission"),
        row_heading=_("Year of submission"),
        columns=tuple(label for _action, label in MILESTONES),
        rows=tuple(rows),
        description=_(
            "Days from the submission of the request to the first proposal of a guardian, "
            "to the guardian's consent and to the court's appointment. A median of fewer "
            "than five requests is shown as “<5”."
        ),
    )


def load_table():
    counts = guardian_load()
    labels = [str(n) for n in range(LOAD_TOP)] + [_("%(n)s or more") % {"n": LOAD_TOP}]
    return Table(
        slug="load",
        title=_("Guardians by number of active cases"),
        row_heading=_("Active cases"),
        columns=(_("Guardians"),),
        rows=tuple(Row(label, (publish(counts[n]),), key=n) for n, label in enumerate(labels)),
        description=_("Guardians who are active or paused; inactive guardians are left out."),
    )


def unmatched_table(today=None):
    return Table(
        slug="unmatched",
        title=_("Requests waiting for a guardian's consent at the end of the month"),
        row_heading=_("Month"),
        columns=(_("Requests waiting"),),
        rows=tuple(
            Row(formats.date_format(month, "YEAR_MONTH_FORMAT"), (publish(count),), key=month)
            for month, count in unmatched_by_month(today)
        ),
        description=_(
            "Submitted requests that had no consent yet and were not cancelled or ended "
            "at the end of each of the last 24 months."
        ),
    )


TABLES = {
    "municipalities": municipality_table,
    "matters": matter_table,
    "medians": median_table,
    "load": load_table,
    "unmatched": unmatched_table,
}
