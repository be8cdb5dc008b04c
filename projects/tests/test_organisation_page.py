"""The organisation page lists the projects it takes part in and its upcoming events."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from municipalities.models import Organisation
from projects.factories import EventFactory, PartnershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def page(client, slug):
    return client.get(reverse("municipalities:detail", kwargs={"slug": slug})).content.decode()


def test_pikassos_page_lists_its_projects_and_stm_the_one_it_funds(planner_client):
    html = page(planner_client, "pikassos")
    assert 'href="/projects/top/"' in html
    assert 'href="/projects/tulevaisuuden-sote-keskus/"' in html
    assert 'href="/projects/top/"' in page(planner_client, "stm")


def test_organisation_page_lists_upcoming_events_it_organises_or_is_invited_to(planner_client):
    pori = Organisation.objects.get(slug="pori")
    now = timezone.now()
    organised = EventFactory(title="Porin koulutus", organiser=pori)
    invited = EventFactory(title="Kutsu Porille", target_organisations=[pori])
    EventFactory(
        title="Mennyt Porin tilaisuus",
        organiser=pori,
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=2) + datetime.timedelta(hours=1),
    )
    EventFactory(title="Rauman tilaisuus", organiser=Organisation.objects.get(slug="rauma"))
    html = page(planner_client, "pori")
    assert organised.get_absolute_url() in html and invited.get_absolute_url() in html
    assert "Mennyt Porin tilaisuus" not in html and "Rauman tilaisuus" not in html


def test_a_user_without_a_role_sees_no_internal_project_or_event(client, django_user_model):
    pori = Organisation.objects.get(slug="pori")
    PartnershipFactory(organisation=pori, project=ProjectFactory(name="Salainen", is_public=False))
    EventFactory(title="Sisäinen", organiser=pori, is_public=False)
    client.force_login(django_user_model.objects.create(username="no-role"))
    html = page(client, "pori")
    assert "Salainen" not in html and "Sisäinen" not in html


@pytest.mark.parametrize("n", [1, 50])
def test_organisation_page_query_count_does_not_grow(
    planner_client, django_assert_max_num_queries, n
):
    pori = Organisation.objects.get(slug="pori")
    for project in ProjectFactory.create_batch(n):
        PartnershipFactory(project=project, organisation=pori)
    EventFactory.create_batch(n, organiser=pori)
    EventFactory.create_batch(n, target_organisations=[pori])
    # 14 today; some room for middleware, none for a query per project or event.
    with django_assert_max_num_queries(20):
        html = page(planner_client, "pori")
    assert html.count('href="/projects/testihanke-') == n
    assert html.count('href="/events/') >= 2 * n
