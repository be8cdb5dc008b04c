"""Query budgets of the desk's lists and the site search, at 1 row and at 100 rows: the
same budget must hold for both, so a query per row (N+1) fails. Counted as in
tests/test_query_budgets.py: every query of the request, middleware and template included."""

import pytest
from django.urls import reverse
from django.utils import timezone

from development import search
from development.factories import (
    BulletinFactory,
    PublishedAnswerFactory,
    QuestionFactory,
    SubscriberFactory,
)
from development.models import QuestionStatus
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
