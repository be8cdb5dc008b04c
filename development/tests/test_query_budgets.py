"""Query budgets of the desk's lists, the site search, the project ideas' pipeline and the
networks, at 1 row and at 100 rows: the
same budget must hold for both, so a query per row (N+1) fails. Counted as in
tests/test_query_budgets.py: every query of the request, middleware and template included."""

import pytest
from django.urls import reverse
from django.utils import timezone

from development import search
from development.factories import (
    BulletinFactory,
    NetworkContactFactory,
    NetworkFactory,
    NetworkMeetingFactory,
    ProjectIdeaFactory,
    PublishedAnswerFactory,
    QuestionFactory,
    SubscriberFactory,
)
from development.models import IdeaState, QuestionStatus
from municipalities.factories import OrganisationFactory
from projects.factories import EventFactory, NewsItemFactory, ProjectFactory, ThemeFactory

pytestmark = pytest.mark.django_db

SIZES = (1, 100)


def _questions(n, **kwargs):
    theme = ThemeFactory()
    QuestionFactory.create_batch(n, topic=theme, **kwargs)


@pytest.mark.parametrize("n", SIZES)
def test_the_queue(client, planner, n, django_assert_max_num_queries):
    _questions(n, assigned_to=planner, status=QuestionStatus.IN_PROGRESS)
    client.force_login(planner)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("development:queue"))
    assert response.status_code == 200
    assert response.content.decode().count('class="news-item"') == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_my_questions(client, sw_pori, n, django_assert_max_num_queries):
    _questions(n, asked_by=sw_pori)
    client.force_login(sw_pori)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("development:my_questions"))
    assert response.content.decode().count('class="news-item"') == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_the_published_answers_for_a_visitor(client, n, django_assert_max_num_queries):
    theme = ThemeFactory()
    for _ in range(n):
        PublishedAnswerFactory(topic=theme)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("development:answer_list"))
    assert response.content.decode().count('class="news-item"') == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_the_search(client, n, django_assert_max_num_queries):
    # The reference data's TOP project speaks of "lastensuojelun" too.
    before = search.ranked(None, "lastensuojelun").count()
    for i in range(n):
        kind = i % 3
        if kind == 0:
            PublishedAnswerFactory(answer="Lastensuojelu kehittyy.")
        elif kind == 1:
            NewsItemFactory(title="Lastensuojelu", body="Lastensuojelua.", is_public=True)
        else:
            ProjectFactory(description="Lastensuojelun hanke.")
    # The count, the page, and one query per kind on the page with its excerpts.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("search"), {"q": "lastensuojelun"})
    assert response.content.decode().count('class="news-item"') == min(n + before, 20)


# Project planning and networks (issue 19, parts 3 and 4) ----------------------------------


@pytest.mark.parametrize("n", SIZES)
def test_the_idea_pipeline(client, planner, n, django_assert_max_num_queries):
    partners = OrganisationFactory.create_batch(2)
    states = list(IdeaState)
    for i in range(n):
        idea = ProjectIdeaFactory(
            with_call=True, state=states[i % len(states)], planner=planner, funder=partners[0]
        )
        idea.partners.set(partners)
    client.force_login(planner)
    # The user, the roles, the ideas, their partners; the rest is the page's own.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("development:idea_pipeline"))
    assert response.content.decode().count('class="news-item"') == n


def _networks(n, members, **kwargs):
    networks = [NetworkFactory(members=members, **kwargs) for _ in range(n)]
    for network in networks:
        NetworkContactFactory(network=network)
    return networks


@pytest.mark.parametrize("n", SIZES)
def test_the_networks_for_a_visitor(client, n, django_assert_max_num_queries):
    _networks(n, OrganisationFactory.create_batch(2), is_public=True)
    # The session's check, the count, the page, the members; the header's own.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("development:network_list"))
    assert response.content.decode().count('class="news-item"') == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_the_networks_for_a_member(client, sw_pori, n, django_assert_max_num_queries):
    _networks(n, list(sw_pori.organisations.all()), is_public=False)
    client.force_login(sw_pori)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("development:network_list"))
    assert response.content.decode().count('class="news-item"') == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_a_network_with_its_contacts_and_meetings(
    client, planner, n, django_assert_max_num_queries
):
    network = NetworkFactory(members=OrganisationFactory.create_batch(3))
    for _ in range(n):
        NetworkContactFactory(network=network, organisation=network.members.first())
        NetworkMeetingFactory(network=network)
    client.force_login(planner)
    with django_assert_max_num_queries(16):
        response = client.get(network.get_absolute_url())
    html = response.content.decode()
    assert html.count('class="news-item"') == n  # the contact persons
    assert html.count(reverse("events:list")) >= 1


# The bulletin (issue 19, part 5) ---------------------------------------------------------


@pytest.mark.parametrize("n", SIZES)
def test_the_bulletin_archive_for_a_visitor(client, n, django_assert_max_num_queries):
    BulletinFactory.create_batch(n, sent_at=timezone.now())
    BulletinFactory()  # a draft, not shown
    with django_assert_max_num_queries(4):
        response = client.get(reverse("development:bulletin_archive"))
    assert response.content.decode().count('class="news-item"') == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_the_staffs_bulletins(client, planner, n, django_assert_max_num_queries):
    BulletinFactory.create_batch(n)
    SubscriberFactory.create_batch(3)
    client.force_login(planner)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("development:bulletin_manage"))
    assert response.content.decode().count('class="news-item"') == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_a_bulletins_preview(client, planner, n, django_assert_max_num_queries):
    news = NewsItemFactory.create_batch(n)
    events = EventFactory.create_batch(n)
    bulletin = BulletinFactory(news_items=news, events=events)
    client.force_login(planner)
    with django_assert_max_num_queries(8):
        response = client.get(
            reverse("development:bulletin_preview", kwargs={"uuid": bulletin.uuid})
        )
    # Each item in the HTML preview.
    assert response.content.decode().count('class="news-item"') == 2 * n
