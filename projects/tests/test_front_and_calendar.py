"""The public face of the portal (issue 16, parts 8 and 9): the front page a visitor sees
at /, the favicon, the Atom feed's author and the calendar links and files."""

import datetime
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from projects.factories import EventFactory, NewsItemFactory, ProjectFactory
from projects.models import ProjectStatus
from projects.rendering import markdown_to_text

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_a_visitor_at_the_front_page_learns_what_the_portal_is_and_finds_the_way_in(client):
    ProjectFactory(name="Tulevaisuuden sote-keskus", status=ProjectStatus.ACTIVE)
    ProjectFactory(name="Sisäinen valmisteluhanke", status=ProjectStatus.ACTIVE, is_public=False)
    EventFactory(title="Lastensuojelun verkostopäivä")
    EventFactory(title="Tiimin sisäinen palaveri", is_public=False)
    NewsItemFactory(title="Uusi edunvalvojien koulutus")
    NewsItemFactory(title="Sisäinen tiedote", is_public=False)

    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fi")

    assert response.status_code == 200  # not the login form
    page = response.content.decode()
    assert "<h1>Pikassoksen portaali</h1>" in page
    assert "sosiaalialan osaamiskeskus" in page
    assert f'href="{reverse("login")}"' in page
    for public in (
        "Tulevaisuuden sote-keskus",
        "Lastensuojelun verkostopäivä",
        "Uusi edunvalvojien koulutus",
    ):
        assert public in page
    for internal in ("Sisäinen valmisteluhanke", "Tiimin sisäinen palaveri", "Sisäinen tiedote"):
        assert internal not in page


def test_a_signed_in_user_still_gets_their_own_start_page(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "state_counts" in response.context
    assert "news_items" not in response.context


def test_every_page_names_its_icon_and_favicon_ico_answers(client):
    page = client.get(reverse("accessibility")).content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert finders.find("favicon.svg")


def test_the_atom_feed_names_its_author(client):
    NewsItemFactory(title="Uutinen")
    feed = ET.fromstring(client.get(reverse("news:feed")).content)
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Pikassos"


def test_the_calendar_is_offered_as_a_webcal_subscription(client):
    page = client.get(reverse("events:list")).content.decode()
    assert f'href="webcal://testserver{reverse("events:calendar")}"' in page


def test_one_event_downloads_as_its_own_calendar_file_with_its_links(client):
    long_ago = timezone.now() - datetime.timedelta(days=800)
    event = EventFactory(
        title="Verkostotapaaminen",
        starts_at=long_ago,
        ends_at=long_ago + datetime.timedelta(hours=2),
        description="Lue [esityslista](https://pikassos.fi/esityslista.pdf) etukäteen.",
    )
    response = client.get(reverse("events:ics", kwargs={"uuid": event.uuid}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (entry,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    # Older than the subscription's year, yet the event's own file has it.
    assert str(entry["summary"]) == "Verkostotapaaminen"
    # The link's address survives in the plain-text description.
    assert "esityslista (https://pikassos.fi/esityslista.pdf)" in str(entry["description"])
    detail = client.get(event.get_absolute_url()).content.decode()
    assert reverse("events:ics", kwargs={"uuid": event.uuid}) in detail


def test_an_internal_events_file_is_for_readers_only(client, planner):
    event = EventFactory(title="Sisäinen palaveri", is_public=False)
    url = reverse("events:ics", kwargs={"uuid": event.uuid})
    assert client.get(url).status_code == 404
    client.force_login(planner)
    assert "Sisäinen palaveri" in client.get(url).content.decode()


def test_plain_text_keeps_a_links_address_only_when_asked():
    text = "Katso [ohje](https://a.fi/ohje) tai https://b.fi ja [x](javascript:alert(1))"
    assert markdown_to_text(text) == "Katso ohje tai https://b.fi ja x"
    assert markdown_to_text(text, keep_links=True) == (
        "Katso ohje (https://a.fi/ohje) tai https://b.fi ja x"
    )
