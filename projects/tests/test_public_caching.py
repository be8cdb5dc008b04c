"""The front page's sections and the news list are kept rendered (projects.caching): a
change shows at once, time alone within a minute, and no audience or language is ever
served what was rendered for another."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.caching import PUBLIC_CACHE_SECONDS
from projects.factories import EventFactory, NewsItemFactory, ProjectFactory, TagFactory
from projects.models import ProjectStatus

pytestmark = pytest.mark.django_db

FRONT = reverse("home")
NEWS = reverse("news:list")


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_or_edited_item_shows_on_the_front_page_at_once(client):
    assert "Ensimmäinen uutinen" not in page(client, FRONT)
    item = NewsItemFactory(title="Ensimmäinen uutinen")
    assert "Ensimmäinen uutinen" in page(client, FRONT)
    item.title = "Korjattu otsikko"
    item.save()
    html = page(client, FRONT)
    assert "Korjattu otsikko" in html and "Ensimmäinen uutinen" not in html
    item.delete()
    assert "Korjattu otsikko" not in page(client, FRONT)


def test_a_renamed_project_or_a_new_event_shows_on_the_front_page_at_once(client):
    project = ProjectFactory(name="Vanha nimi", status=ProjectStatus.ACTIVE, is_public=True)
    assert "Vanha nimi" in page(client, FRONT)
    project.name = "Uusi nimi"
    project.save()
    EventFactory(title="Verkostopäivä", is_public=True)
    html = page(client, FRONT)
    assert "Uusi nimi" in html and "Vanha nimi" not in html
    assert "Verkostopäivä" in html


def test_a_scheduled_item_shows_within_a_minute_of_its_publication(client):
    now = timezone.now()
    NewsItemFactory(title="Ajastettu uutinen", published_at=now + datetime.timedelta(seconds=30))
    with time_machine.travel(now, tick=False):
        assert "Ajastettu uutinen" not in page(client, FRONT)
        assert "Ajastettu uutinen" not in page(client, NEWS)
    with time_machine.travel(now + datetime.timedelta(seconds=PUBLIC_CACHE_SECONDS + 1)):
        assert "Ajastettu uutinen" in page(client, FRONT)
        assert "Ajastettu uutinen" in page(client, NEWS)


def test_what_a_reader_or_editor_was_shown_is_not_shown_to_anybody_else(client, sw_pori, planner):
    NewsItemFactory(title="Sisäinen tiedote", is_public=False)
    NewsItemFactory(
        title="Tuleva uutinen", published_at=timezone.now() + datetime.timedelta(days=2)
    )
    client.force_login(planner)
    html = page(client, NEWS)
    assert "Sisäinen tiedote" in html and "Tuleva uutinen" in html
    client.force_login(sw_pori)
    html = page(client, NEWS)
    assert "Sisäinen tiedote" in html and "Tuleva uutinen" not in html
    client.logout()
    html = page(client, NEWS)
    assert "Sisäinen tiedote" not in html and "Tuleva uutinen" not in html
    assert "Sisäinen tiedote" not in page(client, FRONT)


def test_each_search_tag_and_page_is_its_own_and_a_tag_added_shows_at_once(client):
    tag = TagFactory(name="koulutus", slug="koulutus")
    item = NewsItemFactory(title="Koulutuskalenteri")
    NewsItemFactory(title="Muu uutinen")
    assert "Muu uutinen" not in page(client, NEWS, q="koulutus")
    assert "Koulutuskalenteri" not in page(client, NEWS, tag="koulutus")
    item.tags.add(tag)
    html = page(client, NEWS, tag="koulutus")
    assert "Koulutuskalenteri" in html and "Muu uutinen" not in html
    tag.name = "koulutukset"
    tag.save()
    assert ">koulutukset</a>" in page(client, NEWS)


def test_each_language_gets_its_own_page(client):
    NewsItemFactory()
    assert "Tulevat tapahtumat" in page(client, FRONT)
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    html = page(client, FRONT)
    assert "Tulevat tapahtumat" not in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Upcoming events" in page(client, FRONT)


def test_the_filter_s_tags_are_kept_and_a_new_tag_is_offered_at_once(client, sw_pori):
    TagFactory(name="koulutus", slug="koulutus")
    client.force_login(sw_pori)
    assert '<option value="koulutus">koulutus</option>' in page(client, NEWS)
    with CaptureQueriesContext(connection) as second:
        page(client, NEWS)
    assert not [q for q in second.captured_queries if "projects_tag" in q["sql"]]
    TagFactory(name="vammaispalvelut", slug="vammaispalvelut")
    assert '<option value="vammaispalvelut">vammaispalvelut</option>' in page(client, NEWS)
    # A tag that does not exist is answered the same the second time.
    for _ in range(2):
        html = page(client, NEWS, tag="ei-ole")
        assert 'class="error-summary"' in html
        assert '<option value="ei-ole"' not in html
