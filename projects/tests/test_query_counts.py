"""The list pages cost the same number of queries for 1 row as for 50."""

import pytest
from django.urls import reverse

from municipalities.factories import OrganisationFactory
from projects.factories import (
    EventFactory,
    NewsItemFactory,
    ProjectFactory,
    TagFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def make_projects(n):
    funder = OrganisationFactory()
    themes = ThemeFactory.create_batch(2)
    for _ in range(n):
        ProjectFactory(funder=funder, themes=themes, is_public=True)


def make_events(n):
    organiser = OrganisationFactory()
    project = ProjectFactory()
    EventFactory.create_batch(n, organiser=organiser, project=project)


def make_news(n):
    tags = TagFactory.create_batch(2)
    for _ in range(n):
        NewsItemFactory(tags=tags)


# A list page costs 9 queries today (session, user, roles, savepoint pair, count, rows,
# prefetch, filter choices). The limits leave room for middleware to come; any N+1
# would add at least 49 queries at n=50 and still fail.
SIGNED_IN_LIMIT = 15
ANONYMOUS_LIMIT = 10
CASES = ["projects:list", "events:list", "news:list"]
MAKERS = {"projects:list": make_projects, "events:list": make_events, "news:list": make_news}


@pytest.mark.parametrize("n", [1, 50])
@pytest.mark.parametrize("name", CASES)
def test_list_query_count_does_not_grow(planner_client, django_assert_max_num_queries, name, n):
    MAKERS[name](n)
    with django_assert_max_num_queries(SIGNED_IN_LIMIT):
        response = planner_client.get(reverse(name))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) >= min(n, 20)
    assert response.context["page_obj"].paginator.count >= n


@pytest.mark.parametrize("n", [1, 50])
@pytest.mark.parametrize("name", CASES)
def test_anonymous_list_query_count_does_not_grow(client, django_assert_max_num_queries, name, n):
    MAKERS[name](n)
    with django_assert_max_num_queries(ANONYMOUS_LIMIT):
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) >= min(n, 20)
