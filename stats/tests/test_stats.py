"""The statistics page: aggregates, small-cell suppression, charts, CSV and permissions.

The requests go through the workflow services; each step's event time is then set by
hand, so the medians and month-end counts are known exactly.
"""

import codecs
import csv
import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from guardianship import services
from guardianship.enums import AssignmentStatus, Availability, Matter, State
from guardianship.factories import (
    AssignmentFactory,
    ChildFactory,
    GuardianFactory,
    GuardianshipRequestFactory,
)
from guardianship.models import GuardianshipRequest, RequestEvent
from municipalities.models import Organisation
from stats import tables
from stats.views import bar_chart, column_chart, published_table

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
COURT = "Satakunnan käräjäoikeus"
CHILD_NAME = "Salainen"


def helsinki(*args):
    return datetime.datetime(*args, tzinfo=HELSINKI)


def org(slug):
    return Organisation.objects.get(slug=slug)


class Workflow:
    """Builds requests through the services, then dates every step by hand."""

    def __init__(self, social_worker, coordinator):
        self.social_worker = social_worker
        self.coordinator = coordinator
        self.guardian = GuardianFactory(capacity=50)

    def request(self, submitted, *, homes=("pori",), matter=Matter.CARE_ORDER, steps=()):
        """A request submitted at `submitted`; `steps` are (action, days after submission)."""
        request = GuardianshipRequestFactory(
            state=State.DRAFT,
            submitted_at=None,
            created_by=self.social_worker,
            matter=matter,
            children=0,
        )
        for slug in homes:
            ChildFactory(request=request, home_municipality=org(slug), first_name=CHILD_NAME)
        services.submit_request(request, by=self.social_worker)
        GuardianshipRequest.objects.filter(pk=request.pk).update(submitted_at=submitted)
        self._date_last_event(request, submitted)
        assignment = None
        for action, days in steps:
            when = submitted + datetime.timedelta(days=days)
            assignment = self._step(request, action, assignment, when)
            self._date_last_event(request, when)
        return request

    def draft(self, homes=("pori",)):
        request = GuardianshipRequestFactory(
            state=State.DRAFT, submitted_at=None, created_by=self.social_worker, children=0
        )
        for slug in homes:
            ChildFactory(request=request, home_municipality=org(slug), first_name=CHILD_NAME)
        return request

    def _step(self, request, action, assignment, when):
        by = self.coordinator
        if action == "propose":
            return services.propose_guardian(request, self.guardian, by=by)
        if action == "accept":
            services.accept_proposal(assignment, by=by)
        elif action == "decline":
            services.decline_proposal(assignment, by=by, reason="Ei aikaa nyt.")
        elif action == "file_application":
            services.file_application(request, by=by, court=COURT, filed_on=when.date())
        elif action == "record_appointment":
            services.record_appointment(
                request, by=by, court=COURT, decision_date=when.date(), case_number="H 24/1"
            )
        elif action == "cancel":
            services.cancel_request(request, by=by, reason="Tarve poistui.")
        else:
            raise AssertionError(action)
        return assignment

    @staticmethod
    def _date_last_event(request, when):
        last = RequestEvent.objects.filter(request=request).latest("id")
        RequestEvent.objects.filter(pk=last.pk).update(at=when)


@pytest.fixture
def workflow(sw_pori, coordinator):
    return Workflow(sw_pori, coordinator)


def court_steps(propose, accept, appoint=None):
    steps = [("propose", propose), ("accept", accept)]
    if appoint is not None:
        steps += [("file_application", appoint - 2), ("record_appointment", appoint)]
    return steps


def build_known_data(workflow):
    """The fixture of the count and median tests.

    2024: six care-order requests for Pori children (one for two Pori siblings, one also
    for an Ulvila sibling): first proposals after 1, 2, 2.5, 3.5, 4 and 5 days (median 3.0),
    consent after 8, 9.25, 10, 11, 12 and 13 days (median 10.5), appointment for four of
    them after 20, 30, 40 and 50 days (median 35.0, shown "<5").
    2023: three criminal-matter requests for Rauma children, proposals after 6, 7 and 8 days.
    Around New Year: a Kankaanpää request at 23.30 on 31.12.2024 and one at 00.30 on
    1.1.2025, Helsinki time (both on 31.12.2024 in UTC). And a draft, never counted.
    """
    pori_2024 = [
        (("pori", "pori"), [("propose", 1), ("decline", 1.5), ("propose", 3), ("accept", 8),
                            ("file_application", 18), ("record_appointment", 20)]),
        (("pori", "ulvila"), court_steps(2, 9.25, 30)),
        (("pori",), court_steps(2.5, 10, 40)),
        (("pori",), court_steps(3.5, 11, 50)),
        (("pori",), court_steps(4, 12)),
        (("pori",), court_steps(5, 13)),
    ]  # fmt: skip
    for day, (homes, steps) in enumerate(pori_2024, start=1):
        workflow.request(helsinki(2024, 5, day, 9), homes=homes, steps=steps)
    for day, days in enumerate([6, 7, 8], start=1):
        workflow.request(
            helsinki(2023, 9, day, 13),
            homes=("rauma",),
            matter=Matter.CRIMINAL,
            steps=[("propose", days)],
        )
    for submitted in (helsinki(2024, 12, 31, 23, 30), helsinki(2025, 1, 1, 0, 30)):
        workflow.request(submitted, homes=("kankaanpaa",), matter=Matter.SUBSTITUTE_CARE)
    workflow.draft()


# Suppression --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "base", "shown"),
    [
        (0, None, 0),
        (1, None, "<5"),
        (4, None, "<5"),
        (5, None, 5),
        (6, None, 6),
        (10.5, 4, "<5"),
        (10.5, 5, 10.5),
        (None, 0, None),
    ],
)
def test_publish_suppresses_small_cells(value, base, shown):
    assert tables.publish(value, base=base) == shown


# Counts -------------------------------------------------------------------------------


def test_requests_by_municipality_and_year(workflow):
    build_known_data(workflow)
    counts = {
        (row["name"], row["year"]): row["requests"] for row in tables.requests_by_municipality()
    }
    assert counts == {
        ("Kankaanpää", 2024): 1,
        ("Kankaanpää", 2025): 1,
        ("Pori", 2024): 6,  # the two Pori siblings count once
        ("Rauma", 2023): 3,
        ("Ulvila", 2024): 1,
    }


def test_municipality_table_suppresses_small_counts(workflow):
    build_known_data(workflow)
    table = tables.municipality_table()
    assert table.columns == ("2023", "2024", "2025")
    assert [(row.label, row.cells) for row in table.rows] == [
        ("Kankaanpää", (0, "<5", "<5")),
        ("Pori", (0, 6, 0)),
        ("Rauma", ("<5", 0, 0)),
        ("Ulvila", (0, "<5", 0)),
    ]


def test_requests_by_matter_and_year(workflow):
    build_known_data(workflow)
    counts = {(row["matter"], row["year"]): row["requests"] for row in tables.requests_by_matter()}
    assert counts == {
        (Matter.CARE_ORDER, 2024): 6,
        (Matter.CRIMINAL, 2023): 3,
        (Matter.SUBSTITUTE_CARE, 2024): 1,
        (Matter.SUBSTITUTE_CARE, 2025): 1,
    }
    rows = {row.key: row.cells for row in tables.matter_table().rows}
    assert rows[Matter.CARE_ORDER] == (0, 6, 0)
    assert rows[Matter.CRIMINAL] == ("<5", 0, 0)
    assert rows[Matter.OPEN_CARE] == (0, 0, 0)


# Medians ------------------------------------------------------------------------------


def test_median_days_to_each_milestone(workflow):
    build_known_data(workflow)
    by_year, overall = tables.median_days()
    year_2024 = next(row for row in by_year if row["year"] == 2024)
    assert year_2024["median_propose"] == 3.0
    assert year_2024["n_propose"] == 6
    assert year_2024["median_accept"] == 10.5
    assert year_2024["median_record_appointment"] == 35.0
    assert year_2024["n_record_appointment"] == 4
    assert overall["median_propose"] == 4.0  # 2023's 6, 7 and 8 days join in
    assert overall["n_propose"] == 9
    assert overall["median_accept"] == 10.5


def test_median_table_suppresses_medians_of_few_requests(workflow):
    build_known_data(workflow)
    rows = {row.key: row.cells for row in tables.median_table().rows}
    assert rows[2024] == (3.0, 10.5, "<5")
    assert rows[2023] == ("<5", None, None)
    assert rows[2025] == (None, None, None)
    assert rows["all"] == (4.0, 10.5, "<5")


def test_median_rounds_fractional_days_to_one_decimal(workflow):
    for day, hours in enumerate([25, 26, 27, 28, 29], start=1):  # 1.04 ... 1.21 days
        workflow.request(helsinki(2024, 5, day, 9), steps=[("propose", hours / 24)])
    _by_year, overall = tables.median_days()
    assert overall["median_propose"] == 1.1  # 27 hours = 1.125 days


# Guardians' load ----------------------------------------------------------------------


def test_guardian_load_distribution(coordinator):
    def guardian_with(active, **kwargs):
        guardian = GuardianFactory(capacity=10, **kwargs)
        AssignmentFactory.create_batch(
            active,
            request__state=State.CONSENT_GIVEN,
            guardian=guardian,
            proposed_by=coordinator,
            status=AssignmentStatus.ACTIVE,
        )
        return guardian

    for _ in range(4):
        guardian_with(0)
    guardian_with(0, availability=Availability.PAUSED, paused_until=datetime.date(2099, 1, 1))
    guardian_with(1)
    ended = guardian_with(1)
    ended.assignments.update(status=AssignmentStatus.ENDED)  # no active case any more
    guardian_with(2)
    guardian_with(4)
    guardian_with(6)
    guardian_with(1, availability=Availability.INACTIVE)  # left out

    assert tables.guardian_load() == {0: 6, 1: 1, 2: 1, 3: 0, 4: 2}
    assert [row.cells for row in tables.load_table().rows] == [
        (6,),
        ("<5",),
        ("<5",),
        (0,),
        ("<5",),
    ]


# Unmatched over time ------------------------------------------------------------------


def test_unmatched_requests_at_each_month_end(workflow):
    # Waiting since June 2024, never matched.
    for day in range(5):
        workflow.request(helsinki(2024, 6, 10 + day, 12))
    # March 2024 only: cancelled on 20.4.
    workflow.request(helsinki(2024, 3, 5, 12), steps=[("cancel", 46)])
    # 23.30 on 31.10. in Helsinki is still October; consent on 1.11.
    workflow.request(helsinki(2024, 10, 31, 23, 30), steps=[("propose", 0.5), ("accept", 1)])
    # 00.30 on 1.11. in Helsinki (22.30 on 31.10. in UTC) is November; never matched.
    workflow.request(helsinki(2024, 11, 1, 0, 30))
    # Submitted 10.11., proposed 20.11., consent on 5.1.
    workflow.request(helsinki(2024, 11, 10, 12), steps=[("propose", 10), ("accept", 56)])
    # Submitted 20.12., cancelled 10.2.
    workflow.request(helsinki(2024, 12, 20, 12), steps=[("cancel", 52)])
    # Submitted at 23.30 on the last day of January.
    workflow.request(helsinki(2025, 1, 31, 23, 30))
    # Declined, then proposed again: still waiting at the end of February.
    workflow.request(
        helsinki(2025, 2, 3, 12), steps=[("propose", 1), ("decline", 2), ("propose", 3)]
    )
    workflow.draft()

    months = tables.unmatched_by_month(today=datetime.date(2025, 3, 15))

    assert len(months) == 24
    assert months[0] == (datetime.date(2023, 3, 1), 0)
    counts = {month: count for month, count in months if count}
    assert counts == {
        datetime.date(2024, 3, 1): 1,
        datetime.date(2024, 6, 1): 5,
        datetime.date(2024, 7, 1): 5,
        datetime.date(2024, 8, 1): 5,
        datetime.date(2024, 9, 1): 5,
        datetime.date(2024, 10, 1): 6,
        datetime.date(2024, 11, 1): 7,
        datetime.date(2024, 12, 1): 8,
        datetime.date(2025, 1, 1): 8,
        datetime.date(2025, 2, 1): 8,
    }
    table = tables.unmatched_table(today=datetime.date(2025, 3, 15))
    cells = {row.key: row.cells[0] for row in table.rows}
    assert cells[datetime.date(2024, 3, 1)] == "<5"
    assert cells[datetime.date(2024, 4, 1)] == 0
    assert cells[datetime.date(2024, 12, 1)] == 8


# Charts -------------------------------------------------------------------------------


def table(cells_by_row, columns=("2024", "2025")):
    return tables.Table(
        slug="test",
        title="Test",
        row_heading="Row",
        columns=columns,
        rows=tuple(
            tables.Row(label, cells, key=i) for i, (label, cells) in enumerate(cells_by_row)
        ),
    )


def test_bar_chart_draws_suppressed_cells_up_to_the_limit():
    with translation.override("en"):
        chart = bar_chart(table([("Pori", (10, 20)), ("Karvia", ("<5", 0))]), columns=[0, 1])
    widths = {(bar.value, bar.series): float(bar.width) for bar in chart.bars}
    full = widths[(20, "s0")]
    assert widths[(10, "s1")] == pytest.approx(full / 2, abs=0.1)
    assert widths[("<5", "s1")] == pytest.approx(full / 4, abs=0.1)  # 5 of 20
    assert widths[(0, "s0")] == 0
    assert [bar.suppressed for bar in chart.bars] == [False, False, True, False]
    assert [(item.label, item.hatched) for item in chart.legend] == [
        ("2024", False),
        ("2025", False),
        ("fewer than 5", True),
    ]


def test_column_chart_labels_suppressed_columns():
    rows = [("0", (12,)), ("1", ("<5",)), ("2", (0,))]
    chart = column_chart(table(rows, columns=("Guardians",)), short_label=lambda row: row.label)
    heights = [float(bar.height) for bar in chart.bars]
    assert heights[0] > heights[1] > heights[2] == 0
    assert heights[1] == pytest.approx(heights[0] * 5 / 12, abs=0.1)
    assert [bar.suppressed for bar in chart.bars] == [False, True, False]
    assert [bar.label_x != "" for bar in chart.bars] == [True, True, True]  # wide columns
    assert chart.legend[0].hatched


def test_narrow_columns_label_only_suppressed_ones():
    rows = [(str(month), (n,)) for month, n in enumerate([7, "<5", 0] * 8)]
    chart = column_chart(table(rows, columns=("Requests",)), short_label=lambda row: "")
    labelled = [bar.value for bar in chart.bars if bar.label_x]
    assert labelled == ["<5"] * 8


# The page and the CSV -----------------------------------------------------------------


def test_page_shows_charts_and_tables_without_personal_data(client, coordinator, workflow):
    build_known_data(workflow)
    client.force_login(coordinator)
    response = client.get(reverse("stats:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 4
    assert html.count("<table") == 5
    assert "&lt;5" in html
    assert 'scope="row"' in html and "<caption" in html
    for slug in tables.TABLES:
        assert reverse("stats:csv", args=[slug]) in html
    assert CHILD_NAME not in html
    # No inline script or style: the only scripts are the base template's static files.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and "style=" not in html
    for request in GuardianshipRequest.objects.all():
        assert request.reference not in html


def test_page_without_requests(client, planner):
    client.force_login(planner)
    response = client.get(reverse("stats:index"))
    assert response.status_code == 200
    assert response.content.decode().count('role="img"') == 2  # the load and the waiting


def read_csv(response):
    assert response.content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_csv_has_the_same_suppressed_numbers(client, coordinator, workflow):
    build_known_data(workflow)
    client.force_login(coordinator)
    response = client.get(reverse("stats:csv", args=["municipalities"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    with translation.override("fi"):
        heading = translation.gettext("Home municipality")
    assert read_csv(response) == [
        [heading, "2023", "2024", "2025"],
        ["Kankaanpää", "0", "<5", "<5"],
        ["Pori", "0", "6", "0"],
        ["Rauma", "<5", "0", "0"],
        ["Ulvila", "0", "<5", "0"],
    ]


def test_csv_of_medians_uses_finnish_decimals(client, coordinator, workflow):
    build_known_data(workflow)
    client.force_login(coordinator)
    rows = read_csv(client.get(reverse("stats:csv", args=["medians"])))
    assert rows[1:] == [
        ["2023", "<5", "", ""],
        ["2024", "3,0", "10,5", "<5"],
        ["2025", "", "", ""],
        [rows[-1][0], "4,0", "10,5", "<5"],
    ]
    assert CHILD_NAME not in str(rows)


def test_unknown_csv_table_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("stats:csv", args=["children"])).status_code == 404


# Permissions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("planner", 200),
        ("superuser", 200),
        ("sw_pori", 403),
        ("guardian_user", 403),
    ],
)
@pytest.mark.parametrize("url", ["page", "csv"])
def test_who_may_see_the_statistics(client, request, who, status, url):
    client.force_login(request.getfixturevalue(who))
    path = reverse("stats:index") if url == "page" else reverse("stats:csv", args=["load"])
    assert client.get(path).status_code == status


@pytest.mark.parametrize("args", [(), ("load",)])
def test_anonymous_is_sent_to_login(client, args):
    path = reverse("stats:csv" if args else "stats:index", args=args)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "linked"),
    [("coordinator", True), ("planner", True), ("sw_pori", False), ("guardian_user", False)],
)
def test_navigation_links_to_the_statistics(client, request, who, linked):
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse("home")).content.decode()
    assert (reverse("stats:index") in html) is linked


def test_the_published_tables_are_cached_for_a_while(db, settings):
    settings.STATS_CACHE_SECONDS = 600
    cache.clear()
    first = published_table("municipalities")
    GuardianshipRequestFactory.create_batch(6)
    assert published_table("municipalities").rows == first.rows  # served from the cache
    cache.clear()
    assert published_table("municipalities").rows != first.rows


def test_the_page_is_rendered_once_per_cache_period_and_language(
    client, coordinator, settings, django_assert_max_num_queries
):
    settings.STATS_CACHE_SECONDS = 600
    cache.clear()
    GuardianshipRequestFactory.create_batch(6)
    client.force_login(coordinator)
    url = reverse("stats:index")

    def sections(**kwargs):
        html = client.get(url, **kwargs).content.decode()
        return html[html.index('<section class="stats-section"') : html.rindex("</section>")]

    first = sections()
    GuardianshipRequestFactory.create_batch(6)
    # Only the signed-in page's own queries: neither tables nor charts are made again.
    with django_assert_max_num_queries(4):
        assert sections() == first
    client.cookies["django_language"] = "sv"  # chosen with the language button
    swedish = sections()
    del client.cookies["django_language"]
    assert swedish != first and "Ladda ner som CSV" in swedish
    cache.clear()
    assert sections() != first
