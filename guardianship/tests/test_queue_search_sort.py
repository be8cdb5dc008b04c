"""The request lists' search, columns and orders, and what needs each role's action
(issue 16, part 2)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from fees.factories import FeeClaimFactory
from guardianship.enums import AccessAction, AssignmentStatus, State, Urgency
from guardianship.factories import (
    AssignmentFactory,
    ChildFactory,
    GuardianFactory,
    GuardianshipRequestFactory,
)
from guardianship.models import AccessLog
from guardianship.tests.test_identity_codes import CODE

pytestmark = pytest.mark.django_db

LIST = reverse("guardianship:request_list")


def shown(response):
    return [r.pk for r in response.context["requests"]]


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


# Search -------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [State.ENDED, State.CANCELLED, State.APPOINTED])
def test_a_reference_finds_its_request_in_any_state(client, coordinator, state):
    """E-mails and fee claims quote the reference of ended requests too."""
    wanted = GuardianshipRequestFactory(state=state, decision_date=datetime.date(2026, 1, 5))
    GuardianshipRequestFactory()
    client.force_login(coordinator)
    for typed in (wanted.reference, wanted.reference.lower()):
        assert shown(client.get(LIST, {"q": typed})) == [wanted.pk], typed


def test_a_name_is_searched_among_the_open_requests_unless_asked(client, coordinator):
    ended = GuardianshipRequestFactory(state=State.ENDED, children=0)
    ChildFactory(request=ended, last_name="Harvinainen")
    open_ = GuardianshipRequestFactory(children=0)
    ChildFactory(request=open_, last_name="Harvinainen")
    client.force_login(coordinator)
    assert shown(client.get(LIST, {"q": "harvinai"})) == [open_.pk]
    assert set(shown(client.get(LIST, {"q": "harvinai", "state": "all"}))) == {
        open_.pk,
        ended.pk,
    }


def test_a_search_finds_nobody_elses_cases(client, sw_rauma, guardian_user):
    """Neither a social worker of another team nor a guardian finds a request outside
    their own by its reference or a child's name."""
    request = GuardianshipRequestFactory(children=0)
    ChildFactory(request=request, first_name="Aino", last_name="Harvinainen")
    AssignmentFactory(request=request, status=AssignmentStatus.ACTIVE)  # another guardian
    GuardianFactory(user=guardian_user)
    for user in (sw_rauma, guardian_user):
        client.force_login(user)
        for q in (request.reference, "Aino", "Harvinainen"):
            assert shown(client.get(LIST, {"q": q, "state": "all"})) == [], (user, q)
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("status", "finds_last_name"),
    [(AssignmentStatus.PROPOSED, False), (AssignmentStatus.ACTIVE, True)],
)
def test_a_proposed_guardian_cannot_confirm_a_guessed_name_by_searching(
    client, guardian_user, status, finds_last_name
):
    """A proposed guardian sees the children's first names and the reference: a search
    finds the case by those, never by the last name or the case number they are not
    shown (a search that answers confirms the guess)."""
    request = GuardianshipRequestFactory(children=0, case_number="H 26/777")
    ChildFactory(request=request, first_name="Aino", last_name="Harvinainen")
    AssignmentFactory(request=request, guardian=GuardianFactory(user=guardian_user), status=status)
    client.force_login(guardian_user)
    for q in (request.reference, "Aino"):
        assert shown(client.get(LIST, {"q": q})) == [request.pk], q
    for q in ("Harvinainen", "H 26/777", "Sosiaalityöntekijä"):
        expected = [request.pk] if finds_last_name else []
        assert shown(client.get(LIST, {"q": q})) == expected, q


def test_the_identity_code_search_is_post_only_and_never_a_url(client, coordinator):
    request = GuardianshipRequestFactory(children=0)
    ChildFactory(request=request, identity_code=CODE)
    client.force_login(coordinator)
    other = GuardianshipRequestFactory()
    # By GET a code is ignored (the list is not narrowed by it), and no link of the
    # page (a sort link, the CSV link) carries it on.
    response = client.get(LIST, {"identity_code": CODE, "state": "all"})
    assert set(shown(response)) == {request.pk, other.pk}
    html = response.content.decode()
    assert 'method="post"' in html and 'name="identity_code"' in html
    assert not [link for link in re.findall(r'href="([^"]*)"', html) if CODE in link]
    assert shown(client.get(LIST, {"q": CODE, "state": "all"})) == []
    listed = AccessLog.objects.filter(action=AccessAction.LIST)
    before = listed.count()
    response = client.post(LIST, {"identity_code": CODE})
    assert shown(response) == [request.pk]
    assert CODE not in response.content.decode()
    assert listed.count() == before + 1  # the one child found, logged as listed
    assert not AccessLog.objects.filter(path__icontains=CODE).exists()


# Columns and orders -----------------------------------------------------------------------


@pytest.fixture
def queue():
    """Three open requests with different waits, hearings and deadlines."""
    today = timezone.localdate()
    return {
        "old": GuardianshipRequestFactory(
            submitted_at=days_ago(20), hearing_date=today + datetime.timedelta(days=30)
        ),
        "urgent": GuardianshipRequestFactory(
            submitted_at=days_ago(3),
            urgency=Urgency.URGENT,
            deadline=today + datetime.timedelta(days=10),
        ),
        "new": GuardianshipRequestFactory(
            submitted_at=days_ago(1),
            hearing_date=today + datetime.timedelta(days=5),
            deadline=today + datetime.timedelta(days=2),
        ),
    }


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        (None, ["urgent", "old", "new"]),
        ("urgency", ["urgent", "old", "new"]),
        ("waiting", ["old", "urgent", "new"]),
        ("-waiting", ["new", "urgent", "old"]),
        # Soonest first, undated last.
        ("hearing", ["new", "old", "urgent"]),
        ("deadline", ["new", "urgent", "old"]),
        # Not one of the orders: ignored, the queue's own order.
        ("submitted_at; drop table x", ["urgent", "old", "new"]),
        ("-uuid", ["urgent", "old", "new"]),
        ("__class__", ["urgent", "old", "new"]),
    ],
)
def test_the_queue_sorts_by_a_whitelisted_column_only(client, coordinator, queue, sort, order):
    client.force_login(coordinator)
    response = client.get(LIST, {"sort": sort} if sort else {})
    assert response.status_code == 200
    assert shown(response) == [queue[key].pk for key in order]


def test_the_columns_show_days_waiting_hearing_deadline_and_urgency(client, coordinator, queue):
    client.force_login(coordinator)
    html = client.get(LIST, {"sort": "waiting"}).content.decode()
    rows = {r.pk: r for r in client.get(LIST).context["requests"]}
    assert rows[queue["old"].pk].days_waiting == 20
    assert rows[queue["new"].pk].days_waiting == 1
    hearing = queue["new"].hearing_date
    assert f"{hearing.day}.{hearing.month}.{hearing.year}" in html
    for header in ("Kiireellisyys", "Odotuspäiviä", "Käsittelypäivä", "Määräaika"):
        assert header in html, header
    assert '<td data-label="Odotuspäiviä">20</td>' in html
    # The column sorted by says so, and its link turns the order around.
    assert 'aria-sort="descending"><a href="?sort=-waiting">Odotuspäiviä</a>' in html
    assert html.count("aria-sort=") == 1


def test_the_sort_links_keep_the_filters_and_drop_the_page(client, coordinator, queue):
    client.force_login(coordinator)
    html = client.get(LIST, {"matter": "care_order", "page": "1", "sort": "deadline"})
    html = html.content.decode()
    assert 'href="?matter=care_order&amp;sort=hearing"' in html
    assert 'aria-sort="ascending"><a href="?matter=care_order&amp;sort=deadline"' in html
    # The filter form sends the order along.
    assert '<input type="hidden" name="sort" value="deadline">' in html


def test_the_social_workers_list_sorts_too(client, sw_pori, queue):
    client.force_login(sw_pori)
    response = client.get(LIST, {"sort": "hearing"})
    assert shown(response) == [queue[k].pk for k in ("new", "old", "urgent")]


# Needs action -----------------------------------------------------------------------------


def test_the_queue_filters_what_needs_the_coordinator(client, coordinator, settings):
    settings.GUARDIANSHIP_UNMATCHED_DAYS = 14
    settings.GUARDIANSHIP_UNANSWERED_DAYS = 7
    late = GuardianshipRequestFactory(state=State.SEARCHING, submitted_at=days_ago(15))
    GuardianshipRequestFactory(state=State.SEARCHING, submitted_at=days_ago(13))
    unanswered = GuardianshipRequestFactory(state=State.PROPOSED, submitted_at=days_ago(9))
    AssignmentFactory(request=unanswered, proposed_at=days_ago(8))
    answered_soon = GuardianshipRequestFactory(state=State.PROPOSED, submitted_at=days_ago(9))
    AssignmentFactory(request=answered_soon, proposed_at=days_ago(6))
    client.force_login(coordinator)
    assert shown(client.get(LIST, {"needs": "unmatched"})) == [late.pk]
    assert shown(client.get(LIST, {"needs": "unanswered"})) == [unanswered.pk]


def test_only_coordinators_get_the_needs_filter(client, sw_pori, guardian_user):
    GuardianshipRequestFactory(state=State.SEARCHING, submitted_at=days_ago(40))
    recent = GuardianshipRequestFactory(state=State.SEARCHING)
    client.force_login(sw_pori)
    response = client.get(LIST, {"needs": "unmatched"})
    assert 'name="needs"' not in response.content.decode()
    assert recent.pk in shown(response)  # the parameter is not theirs: ignored


def needs(response):
    return {label: n for label, n, _url in response.context["needs_action"]}


def test_the_coordinators_home_says_what_needs_action(client, coordinator, settings):
    settings.GUARDIANSHIP_UNMATCHED_DAYS = 14
    settings.GUARDIANSHIP_UNANSWERED_DAYS = 7
    GuardianshipRequestFactory(state=State.RECEIVED, submitted_at=days_ago(30))
    unanswered = GuardianshipRequestFactory(state=State.PROPOSED, submitted_at=days_ago(10))
    AssignmentFactory(request=unanswered, proposed_at=days_ago(8))
    GuardianshipRequestFactory(state=State.CONSENT_GIVEN)
    GuardianshipRequestFactory(state=State.CONSENT_GIVEN)
    client.force_login(coordinator)
    response = client.get(reverse("home"))
    assert needs(response) == {
        "Ilman edunvalvojaa yli 14 päivää": 1,
        "Ehdotukseen ei vastattu yli 7 päivään": 1,
        "Suostumus annettu, hakemusta ei jätetty": 2,
    }
    html = response.content.decode()
    assert f'href="{LIST}?needs=unanswered"' in html
    assert f'href="{LIST}?state=consent_given"' in html


def test_the_social_workers_home_says_which_applications_to_file(client, sw_pori, sw_rauma):
    GuardianshipRequestFactory(state=State.CONSENT_GIVEN)
    client.force_login(sw_pori)
    assert needs(client.get(reverse("home"))) == {"Suostumus annettu: jätä hakemus": 1}
    client.force_login(sw_rauma)
    assert needs(client.get(reverse("home"))) == {"Suostumus annettu: jätä hakemus": 0}


def test_the_guardians_home_says_what_waits_for_their_answer(client, guardian_user):
    guardian = GuardianFactory(user=guardian_user)
    AssignmentFactory(guardian=guardian, status=AssignmentStatus.PROPOSED)
    AssignmentFactory(status=AssignmentStatus.PROPOSED)  # another guardian's
    served = AssignmentFactory(guardian=guardian, appointed=True)
    FeeClaimFactory(assignment=served, returned=True)
    FeeClaimFactory(
        assignment=served,
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 4, 30),
    )
    FeeClaimFactory(returned=True)  # another guardian's
    client.force_login(guardian_user)
    response = client.get(reverse("home"))
    assert needs(response) == {
        "Vastaustasi odottavat ehdotukset": 1,
        "Korjattaviksi palautetut palkkiovaatimukset": 1,
    }
    html = response.content.decode()
    assert f'href="{reverse("fees:claim_list")}?status=returned"' in html


def test_roles_without_cases_have_no_needs_section(client, planner):
    client.force_login(planner)
    response = client.get(reverse("home"))
    assert response.context["needs_action"] is None
