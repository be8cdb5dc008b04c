"""The directory's results are kept rendered per generation of the organisations, day,
language and question (municipalities.choices.kept, issue 18): asked again, the page
reads no organisation, and a committed change or a new day shows at once."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from municipalities.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("municipalities:directory")


@pytest.fixture
def signed_in(client, planner, django_capture_on_commit_callbacks):
    # The planner's own rows committed, as in production: a change still pending in the
    # request's transaction is never kept for the others.
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(planner)
    return client


def page(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    read = [q["sql"] for q in queries if '"municipalities_organisation"' in q["sql"]]
    return response.content.decode(), read


def test_asked_again_the_directory_reads_no_organisation(signed_in):
    first, read = page(signed_in, q="pori")
    assert read and "Pori" in first
    again, read = page(signed_in, q="pori")
    assert read == [] and again.split("<main")[1].count("Pori") == first.split("<main")[1].count(
        "Pori"
    )
    # Another question is its own.
    html, read = page(signed_in, q="rauma")
    assert read and "Rauma" in html


def test_a_committed_change_shows_at_once(signed_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        organisation = OrganisationFactory(name="Vanha yhdistys")
    assert "Vanha yhdistys" in page(signed_in, q="yhdistys")[0]
    with django_capture_on_commit_callbacks(execute=True):
        organisation.name = "Uusi yhdistys"
        organisation.save()
    html, read = page(signed_in, q="yhdistys")
    assert read and "Uusi yhdistys" in html and "Vanha yhdistys" not in html
    with django_capture_on_commit_callbacks(execute=True):
        organisation.delete()
    assert "Uusi yhdistys" not in page(signed_in, q="yhdistys")[0]


def test_an_organisation_ending_today_is_former_tomorrow(
    signed_in, planner, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        OrganisationFactory(name="Päättyvä yhdistys", valid_to=today)
    # Half a minute apart, within the time a page is kept.
    evening = timezone.make_aware(datetime.datetime.combine(today, datetime.time(23, 59, 45)))
    with time_machine.travel(evening, tick=False):
        signed_in.force_login(planner)
        html = page(signed_in, q="päättyvä")[0]
        assert "Päättyvä yhdistys" in html and "Lakanneet organisaatiot" not in html
    with time_machine.travel(evening + datetime.timedelta(seconds=30), tick=False):
        signed_in.force_login(planner)
        html = page(signed_in, q="päättyvä")[0]
        assert "Päättyvä yhdistys" in html and "Lakanneet organisaatiot" in html


def test_each_language_is_its_own(signed_in):
    assert "Toiminnassa olevat organisaatiot" in page(signed_in)[0]
    signed_in.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = page(signed_in)[0]
    assert "Current organisations" in html and "Toiminnassa olevat organisaatiot" not in html
    translation.activate("fi")
