import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from municipalities.models import Organisation
from projects.factories import EventFactory, ProjectFactory
from projects.models import Event

pytestmark = pytest.mark.django_db

UPCOMING = reverse("events:list")
PAST = reverse("events:past")
CREATE = reverse("events:create")


def titles(response):
    return [e.title for e in response.context["events"]]


def event_data(**overrides):
    start = (timezone.localtime() + datetime.timedelta(days=10)).replace(second=0, microsecond=0)
    data = {
        "title": "Lastensuojelun verkostotapaaminen",
        "kind": "network_meeting",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Pori",
        "remote_url": "",
        "organiser": str(Organisation.objects.get(slug="pikassos").pk),
        "project": "",
        "registration_url": "",
        "description": "",
        "is_public": "on",
    }
    data.update(overrides)
    return data


def test_upcoming_and_past_pages(planner_client):
    now = timezone.now()
    EventFactory(title="Tuleva", starts_at=now + datetime.timedelta(days=1))
    EventFactory(title="Käynnissä", starts_at=now - datetime.timedelta(hours=1))
    EventFactory(
        title="Mennyt",
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now - datetime.timedelta(days=3) + datetime.timedelta(hours=2),
    )
    assert titles(planner_client.get(UPCOMING)) == ["Käynnissä", "Tuleva"]
    assert titles(planner_client.get(PAST)) == ["Mennyt"]


def test_event_list_advertises_the_calendar_feed(client):
    html = client.get(UPCOMING).content.decode()
    assert '<link rel="alternate" type="text/calendar"' in html
    assert f'href="{reverse("events:calendar")}"' in html


def test_filters_by_kind_and_project(planner_client):
    project = ProjectFactory(slug="hanke")
    EventFactory(title="Koulutus", kind="training", project=project)
    EventFactory(title="Työpaja", kind="workshop")
    assert titles(planner_client.get(UPCOMING, {"kind": "training"})) == ["Koulutus"]
    assert titles(planner_client.get(UPCOMING, {"project": "hanke"})) == ["Koulutus"]
    response = planner_client.get(UPCOMING, {"kind": "party"})
    assert response.context["form"].errors["kind"] and titles(response) == []


def test_list_paginates(planner_client):
    EventFactory.create_batch(27)
    assert len(titles(planner_client.get(UPCOMING))) == 25
    assert len(titles(planner_client.get(UPCOMING, {"page": 2}))) == 2


def test_anonymous_users_see_public_events_only(client):
    public = EventFactory(title="Avoin koulutus")
    internal = EventFactory(title="Sisäinen palaveri", is_public=False)
    assert titles(client.get(UPCOMING)) == ["Avoin koulutus"]
    assert client.get(public.get_absolute_url()).status_code == 200
    assert client.get(internal.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("fixture", ["sw_pori", "guardian_user"])
def test_readers_see_internal_events_but_may_not_write(client, request, fixture):
    internal = EventFactory(title="Sisäinen palaveri", is_public=False)
    client.force_login(request.getfixturevalue(fixture))
    assert "Sisäinen palaveri" in titles(client.get(UPCOMING))
    assert client.get(internal.get_absolute_url()).status_code == 200
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, event_data()).status_code == 403
    edit = reverse("events:edit", kwargs={"uuid": internal.uuid})
    assert client.post(edit, event_data(title="Kaapattu")).status_code == 403
    delete = reverse("events:delete", kwargs={"uuid": internal.uuid})
    assert client.post(delete, {"confirm": "on"}).status_code == 403
    assert Event.objects.get(pk=internal.pk).title == "Sisäinen palaveri"


def test_planner_creates_an_event(planner_client, planner):
    pori = Organisation.objects.get(slug="pori")
    response = planner_client.post(
        CREATE,
        event_data(target_organisations=[str(pori.pk)], remote_url="https://teams.example/x"),
    )
    event = Event.objects.get(title="Lastensuojelun verkostotapaaminen")
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.created_by == planner
    assert list(event.target_organisations.all()) == [pori]
    html = planner_client.get(event.get_absolute_url()).content.decode()
    assert "https://teams.example/x" in html and html.count("<h1") == 1


def test_an_event_ending_before_it_starts_is_refused(planner_client):
    data = event_data()
    data["ends_at"], data["starts_at"] = data["starts_at"], data["ends_at"]
    response = planner_client.post(CREATE, data)
    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"]
    assert not Event.objects.exists()


def test_an_event_needs_a_place_or_a_remote_link(planner_client):
    response = planner_client.post(CREATE, event_data(place="", remote_url=""))
    assert response.status_code == 200
    assert response.context["form"].errors["place"]
    assert 'href="#id_place"' in response.content.decode()
    assert (
        planner_client.post(
            CREATE, event_data(place="", remote_url="https://teams.example/y")
        ).status_code
        == 302
    )


def test_coordinator_edits_and_deletes_an_event(client, coordinator):
    client.force_login(coordinator)
    event = EventFactory()
    edit = reverse("events:edit", kwargs={"uuid": event.uuid})
    assert client.post(edit, event_data(title="Uusi otsikko")).status_code == 302
    event.refresh_from_db()
    assert event.title == "Uusi otsikko"
    delete = reverse("events:delete", kwargs={"uuid": event.uuid})
    assert client.get(delete).status_code == 405
    assert client.post(delete, {}).status_code == 302  # not confirmed
    assert Event.objects.filter(pk=event.pk).exists()
    assert client.post(delete, {"confirm": "on"}).status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()


def test_event_and_project_descriptions_are_sanitised(client):
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)"> **ok**'
    project = ProjectFactory(description=evil)
    event = EventFactory(description=evil, project=project)
    for url in [event.get_absolute_url(), project.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert "alert(" not in html and "onerror" not in html
        assert "<strong>ok</strong>" in html


def test_an_event_row_shows_its_times_kind_place_and_project_as_the_reader_may_see_it(
    planner_client,
):
    """The rows are rendered through Jinja2 from text computed in Python (projects.rows):
    the same times in Finnish time, a day-spanning event's end with its date, and an
    internal project linked only for those who read internal projects."""
    zone = timezone.get_current_timezone()
    starts = datetime.datetime(2031, 3, 4, 9, 30, tzinfo=zone)
    internal = ProjectFactory(name="Sisäinen hanke", is_public=False)
    EventFactory(
        title="Koulutuspäivä",
        kind="training",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(days=1, hours=6),
        place="Rauma",
        remote_url="https://meet.example.fi/x",
        project=internal,
    )
    html = planner_client.get(UPCOMING).content.decode()
    start_cell, row = html.split("Koulutuspäivä", 1)
    row = row.split("</tr>", 1)[0]
    assert '<time datetime="2031-03-04T09:30:00+02:00">4.3.2031 9.30</time>–' in start_cell
    assert '<time datetime="2031-03-05T15:30:00+02:00">5.3.2031 15.30</time>' in start_cell
    assert "Koulutus" in row and "Rauma<br>Etäyhteys" in row
    assert f'<a href="{internal.get_absolute_url()}">Sisäinen hanke</a>' in row
    public_row = Client().get(UPCOMING).content.decode().split("Koulutuspäivä", 1)[1]
    assert "Sisäinen hanke" not in public_row.split("</tr>", 1)[0]
