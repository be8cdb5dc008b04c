"""Every list page costs the same number of queries for 1 row as for 50 (no N+1).

The budgets are the lowest that pass with one row; the 50-row case must fit the same
budget. They count everything a request runs: BASE for any signed-in page, plus the
page's own queries (named at each budget).
"""

import datetime
import itertools

import pytest
from django.urls import reverse

from accounts.factories import make_user
from guardianship.enums import AssignmentStatus, EventKind, Language, State, Urgency
from guardianship.factories import ChildFactory, GuardianFactory, GuardianshipRequestFactory
from guardianship.models import AccessLog, Assignment, GuardianTraining, RequestEvent
from municipalities.models import Organisation

pytestmark = pytest.mark.django_db

SIZES = [1, 50]

# Any signed-in page: the session, the user with their roles (one query), and the
# SAVEPOINT and RELEASE of ATOMIC_REQUESTS. (SessionLimitMiddleware saves the session at most once a
# minute, and not on the first request after a login, so not in these tests.)
BASE = 4


def org(slug):
    return Organisation.objects.get(slug=slug)


def make_requests(n, *, created_by, coordinator):
    """n open Pori requests for two siblings each, in mixed states, some with a guardian."""
    states = itertools.cycle([State.RECEIVED, State.SEARCHING, State.PROPOSED])
    urgencies = itertools.cycle([Urgency.NORMAL, Urgency.URGENT])
    guardian = GuardianFactory(capacity=50)
    requests = []
    for _ in range(n):
        request = GuardianshipRequestFactory(
            created_by=created_by, children=0, state=next(states), urgency=next(urgencies)
        )
        ChildFactory(request=request, last_name="Virtanen")
        ChildFactory(request=request, last_name="Virtanen", language=Language.SWEDISH)
        if request.state == State.PROPOSED:
            Assignment.objects.create(request=request, guardian=guardian, proposed_by=coordinator)
        requests.append(request)
    # Rauma's draft, which neither the Pori social worker nor the coordinator may see.
    rauma = GuardianshipRequestFactory(
        organisation=org("rauma"),
        created_by=created_by,
        children=0,
        state=State.DRAFT,
        submitted_at=None,
    )
    ChildFactory(request=rauma, last_name="Virtanen")
    return requests


# (who, filter, budget): the page reads the requests with their children's names,
# lists the municipalities for the filter and logs the children seen (BASE + 3; a
# social worker's organisations are read first, +1); the municipality filter costs one
# query more to look up its slug.
# fmt: off
LIST_CASES = [
    ("coordinator", {},                                  BASE + 3),
    ("coordinator", {"state": "all"},                    BASE + 3),
    ("coordinator", {"municipality": "pori"},            BASE + 4),
    ("coordinator", {"matter": "care_order"},            BASE + 3),
    ("coordinator", {"language": "fi"},                  BASE + 3),
    ("coordinator", {"q": "Virtanen"},                   BASE + 3),
    ("coordinator", {"municipality": "pori", "language": "sv",
                     "matter": "care_order", "q": "virta", "state": "all"}, BASE + 4),
    ("sw_pori",     {},                                  BASE + 4),
    ("sw_pori",     {"state": "all"},                    BASE + 4),
    ("sw_pori",     {"municipality": "pori"},            BASE + 5),
    ("sw_pori",     {"matter": "care_order"},            BASE + 4),
    ("sw_pori",     {"language": "sv"},                  BASE + 4),
    ("sw_pori",     {"q": "Virtanen"},                   BASE + 4),
]
# fmt: on


def case_id(who, params, *_):
    return f"{who}-" + ("&".join(f"{k}={v}" for k, v in params.items()) or "open")


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(
    ("who", "params", "budget"),
    [pytest.param(*case, id=case_id(*case)) for case in LIST_CASES],
)
def test_request_list(
    request,
    client,
    django_assert_max_num_queries,
    coordinator,
    sw_pori,
    who,
    params,
    budget,
    n,
):
    make_requests(n, created_by=sw_pori, coordinator=coordinator)
    client.force_login(request.getfixturevalue(who))

    with django_assert_max_num_queries(budget):
        response = client.get(reverse("guardianship:request_list"), params)

    assert response.status_code == 200
    shown = response.context["requests"]
    assert {r.organisation_id for r in shown} == {org("pori").pk} and len(shown) == n
    assert response.content.decode().count("Virtanen") >= n
    # One access-log row per child shown, written in one INSERT.
    assert AccessLog.objects.filter(action="list").count() == 2 * n


@pytest.mark.parametrize("n", SIZES)
def test_request_export(client, django_assert_max_num_queries, coordinator, sw_pori, n):
    requests = make_requests(n, created_by=sw_pori, coordinator=coordinator)
    client.force_login(coordinator)

    # The requests, their children, the access-log INSERT.
    with django_assert_max_num_queries(BASE + 3):
        response = client.get(reverse("guardianship:request_export"), {"state": "all"})

    assert response.status_code == 200
    rows = response.content.decode().splitlines()[1:]
    references = {row.split(";")[0] for row in rows}
    assert {r.reference for r in requests} <= references
    assert len(rows) == n


@pytest.mark.parametrize("n", SIZES)
def test_my_assignments(client, django_assert_max_num_queries, coordinator, guardian_user, n):
    guardian = GuardianFactory(user=guardian_user, capacity=50)
    statuses = itertools.cycle(
        [AssignmentStatus.PROPOSED, AssignmentStatus.ACTIVE, AssignmentStatus.ENDED]
    )
    for _ in range(n):
        Assignment.objects.create(
            request=GuardianshipRequestFactory(children=2),
            guardian=guardian,
            status=next(statuses),
            proposed_by=coordinator,
        )
    client.force_login(guardian_user)

    # The guardian, the assignments with their requests, the children, the access log.
    with django_assert_max_num_queries(BASE + 4):
        response = client.get(reverse("guardianship:my_assignments"))

    assert response.status_code == 200
    shown = [a for key in ("proposals", "active", "ended") for a in response.context[key]]
    assert len(shown) == n


@pytest.mark.parametrize("n", SIZES)
def test_guardian_list(client, django_assert_max_num_queries, coordinator, n):
    areas = [org("pori"), org("rauma")]
    for _ in range(n):
        guardian = GuardianFactory(areas=areas, languages=[Language.FINNISH, Language.SWEDISH])
        GuardianTraining.objects.create(
            guardian=guardian, title="Peruskoulutus", completed_on=datetime.date(2024, 3, 1)
        )
        GuardianTraining.objects.create(
            guardian=guardian, title="Vertaistapaaminen", completed_on=datetime.date(2025, 3, 1)
        )
    client.force_login(coordinator)

    # The count, the municipalities of the filter, the guardians with load, their areas.
    with django_assert_max_num_queries(BASE + 4):
        response = client.get(reverse("guardianship:guardian_list"))

    assert response.status_code == 200
    assert len(response.context["guardians"]) == n
    assert response.content.decode().count("Rauma") >= n


@pytest.mark.parametrize("n", SIZES)
def test_guardian_list_filtered(client, django_assert_max_num_queries, coordinator, n):
    for _ in range(n):
        guardian = GuardianFactory(areas=[org("pori")], languages=[Language.SWEDISH])
        GuardianTraining.objects.create(
            guardian=guardian, title="Peruskoulutus", completed_on=datetime.date(2024, 3, 1)
        )
    client.force_login(coordinator)

    # As unfiltered, and the area's slug looked up.
    with django_assert_max_num_queries(BASE + 5):
        response = client.get(
            reverse("guardianship:guardian_list"),
            {"language": "sv", "area": "pori", "availability": "active"},
        )

    assert response.status_code == 200
    assert len(response.context["guardians"]) == n


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(
    ("who", "budget"),
    # The request, its children, assignments and events, its recorded history (pghistory),
    # the access log (BASE + 6); the social worker's organisation or the guardian's current
    # assignment decides the steps.
    [("coordinator", BASE + 6), ("sw_pori", BASE + 7), ("guardian_user", BASE + 7)],
)
def test_request_detail(
    request, client, django_assert_max_num_queries, coordinator, sw_pori, who, budget, n
):
    guardian_user = request.getfixturevalue("guardian_user")
    guardian = GuardianFactory(user=guardian_user)
    obj = GuardianshipRequestFactory(children=2, created_by=sw_pori, state=State.PROPOSED)
    assignment = Assignment.objects.create(request=obj, guardian=guardian, proposed_by=coordinator)
    actors = itertools.cycle([coordinator, sw_pori, guardian_user])
    RequestEvent.objects.bulk_create(
        RequestEvent(
            request=obj,
            kind=EventKind.NOTE,
            actor=next(actors),
            assignment=assignment if i % 3 == 0 else None,
            text=f"Muistiinpano {i}",
        )
        for i in range(n)
    )
    client.force_login(request.getfixturevalue(who))

    with django_assert_max_num_queries(budget):
        response = client.get(obj.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Muistiinpano {n - 1}" in page
    assert len(response.context["events"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_request_matching(client, django_assert_max_num_queries, coordinator, n):
    obj = GuardianshipRequestFactory(children=2)
    for _ in range(n):
        GuardianFactory(areas=[org("pori")], languages=[Language.FINNISH, Language.SWEDISH])
    client.force_login(coordinator)

    # The request with its children, the access log, the ranked guardians.
    with django_assert_max_num_queries(BASE + 4):
        response = client.get(reverse("guardianship:request_matching", kwargs={"uuid": obj.uuid}))

    assert response.status_code == 200
    assert len(response.context["candidates"]) == min(n, 25)


@pytest.mark.parametrize("n", SIZES)
def test_child_access_report(client, django_assert_max_num_queries, coordinator, n):
    obj = GuardianshipRequestFactory()
    child = obj.children.get()
    viewers = [make_user("social_worker", ["pori"]) for _ in range(3)]
    AccessLog.objects.bulk_create(
        AccessLog(
            user=viewers[i % 3],
            username=viewers[i % 3].username,
            role="social_worker",
            action="view",
            request=obj,
            child=child,
        )
        for i in range(n)
    )
    client.force_login(coordinator)

    # The child, the scope check, the access log INSERT, the count and the page of entries.
    with django_assert_max_num_queries(BASE + 5):
        response = client.get(
            reverse("guardianship:child_access_report", kwargs={"uuid": child.uuid})
        )

    assert response.status_code == 200
    entries = list(response.context["entries"])
    # The n earlier views, then this very look at the report.
    assert len(entries) == n + 1
    assert entries[-1].user == coordinator
