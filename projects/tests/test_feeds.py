"""Both feeds parse with real parsers and hold public items only."""

import datetime
from unittest.mock import patch

import feedparser
import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from municipalities.models import Organisation
from projects.factories import EventFactory, NewsItemFactory, TagFactory

pytestmark = pytest.mark.django_db

ATOM = reverse("news:feed")
ICS = reverse("events:calendar")


@pytest.fixture
def news():
    tag = TagFactory(name="lastensuojelu", slug="lastensuojelu")
    return {
        "public": NewsItemFactory(title="Julkinen uutinen", body="**Tärkeää** tietoa.", tags=[tag]),
        "internal": NewsItemFactory(title="Sisäinen uutinen", is_public=False),
        "scheduled": NewsItemFactory(
            title="Ajastettu uutinen", published_at=timezone.now() + datetime.timedelta(days=2)
        ),
        "evil": NewsItemFactory(
            title="Ilkeä", body="<script>alert(1)</script><b onclick=x()>b</b>"
        ),
    }


@pytest.mark.parametrize("fixture", [None, "planner"])
def test_atom_feed_parses_and_holds_public_published_items_only(client, request, news, fixture):
    if fixture:
        client.force_login(request.getfixturevalue(fixture))
    response = client.get(ATOM)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert sorted(entry.title for entry in feed.entries) == ["Ilkeä", "Julkinen uutinen"]
    entry = next(e for e in feed.entries if e.title == "Julkinen uutinen")
    assert entry.link == "http://testserver" + news["public"].get_absolute_url()
    assert "<strong>Tärkeää</strong>" in entry.summary
    assert [tag.term for tag in entry.tags] == ["lastensuojelu"]
    assert entry.id == f"urn:uuid:{news['public'].uuid}"


def test_atom_feed_carries_no_script(client, news):
    body = client.get(ATOM).content.decode()
    assert "alert(" not in body and "onclick" not in body


@pytest.fixture
def events():
    now = timezone.now()
    pikassos = Organisation.objects.get(slug="pikassos")
    pikassos.email = "info@pikassos.example"
    pikassos.save()
    return {
        "public": EventFactory(
            title="Avoin verkostopäivä",
            description="Ohjelma **tulossa**.",
            organiser=pikassos,
            remote_url="https://teams.example/avoin",
            registration_url="https://ilmo.example/1",
        ),
        "internal": EventFactory(title="Sisäinen tiimipalaveri", is_public=False),
        "past": EventFactory(
            title="Mennyt koulutus",
            starts_at=now - datetime.timedelta(days=30),
            ends_at=now - datetime.timedelta(days=30) + datetime.timedelta(hours=1),
        ),
        "ancient": EventFactory(
            title="Ikivanha",
            starts_at=now - datetime.timedelta(days=800),
            ends_at=now - datetime.timedelta(days=800) + datetime.timedelta(hours=1),
        ),
    }


@pytest.mark.parametrize("fixture", [None, "coordinator"])
def test_icalendar_feed_parses_and_holds_public_events_only(client, request, events, fixture):
    if fixture:
        client.force_login(request.getfixturevalue(fixture))
    response = client.get(ICS)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert calendar.refresh_interval == datetime.timedelta(hours=6)
    vevents = calendar.walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in vevents) == ["Avoin verkostopäivä", "Mennyt koulutus"]
    public = next(e for e in vevents if str(e["SUMMARY"]) == "Avoin verkostopäivä")
    event = events["public"]
    assert public.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert public.decoded("DTEND") == event.ends_at.replace(microsecond=0)
    assert str(public["UID"]) == f"{event.uuid}@pikassos-portal"
    assert str(public["URL"]) == "http://testserver" + event.get_absolute_url()
    assert str(public["ORGANIZER"]) == "mailto:info@pikassos.example"
    description = str(public["DESCRIPTION"])
    assert "Ohjelma tulossa." in description and "https://ilmo.example/1" in description
    assert "Sisäinen" not in response.content.decode()


def test_feeds_answer_head_requests(client):
    assert client.head(ICS).status_code == 200
    assert client.head(ATOM).status_code == 200


def test_the_calendar_is_built_once_and_again_after_any_change_of_its_events(client):
    """Served from the cache while its events stay as they are (issue 18: building it
    took 100 ms a fetch); an event edited, added or removed is in the next answer."""

    def summaries():
        calendar = icalendar.Calendar.from_ical(client.get(ICS).content)
        return sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))

    first = EventFactory(title="Verkostopäivä")
    assert summaries() == ["Verkostopäivä"]
    with patch("projects.feeds.build_calendar", side_effect=AssertionError):
        assert summaries() == ["Verkostopäivä"]
    first.title = "Verkostopäivä (siirretty)"
    first.save()
    assert summaries() == ["Verkostopäivä (siirretty)"]
    second = EventFactory(title="Koulutus")
    assert summaries() == ["Koulutus", "Verkostopäivä (siirretty)"]
    first.delete()
    assert summaries() == ["Koulutus"]
    second.is_public = False
    second.save()
    assert summaries() == []
