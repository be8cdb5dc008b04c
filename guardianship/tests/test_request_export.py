"""The queue's CSV export asks for a period (issue 18): the requests of the filtered list
submitted in it, at most a year, never silently cut short."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from guardianship import views
from guardianship.enums import AccessAction, State
from guardianship.factories import ChildFactory, GuardianshipRequestFactory
from guardianship.forms import RequestExportForm
from guardianship.models import AccessLog

pytestmark = pytest.mark.django_db

EXPORT = reverse("guardianship:request_export")
HELSINKI = ZoneInfo("Europe/Helsinki")


def submitted(day, hour=12, minute=0, **kwargs):
    """A request with a child, submitted at `hour`.`minute` Finnish time on `day`."""
    at = datetime.datetime.combine(day, datetime.time(hour, minute), HELSINKI)
    request = GuardianshipRequestFactory(submitted_at=at, **kwargs)
    ChildFactory(request=request)
    return request


def references(response):
    assert response["Content-Type"].startswith("text/csv"), response.content[:200]
    return {line.split(";")[0] for line in response.content.decode("utf-8-sig").splitlines()[1:]}


def test_the_lists_link_asks_for_a_period_and_keeps_the_filters(client, coordinator):
    submitted(datetime.date(2026, 3, 2))
    client.force_login(coordinator)
    page = client.get(reverse("guardianship:request_list"), {"state": "all", "sort": "urgency"})
    assert f'{EXPORT}?state=all&amp;sort=urgency"' in page.content.decode()

    response = client.get(EXPORT, {"state": "all", "municipality": "pori", "sort": "urgency"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert 'name="start"' in html and 'name="end"' in html
    for name, value in (("state", "all"), ("municipality", "pori"), ("sort", "urgency")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in html
    # The filters named as the list's form shows them.
    assert "<dd>Kaikki</dd>" in html and "<dd>Pori</dd>" in html
    assert not AccessLog.objects.filter(action=AccessAction.EXPORT).exists()


def test_only_the_requests_submitted_in_the_period_in_finnish_time(client, coordinator):
    # 00.30 on 1 April in Helsinki is still 31 March in UTC.
    first = submitted(datetime.date(2026, 4, 1), hour=0, minute=30)
    last = submitted(datetime.date(2026, 6, 30), hour=23, minute=50)
    before = submitted(datetime.date(2026, 3, 31), hour=23, minute=50)
    after = submitted(datetime.date(2026, 7, 1), hour=0, minute=10)
    ended = submitted(datetime.date(2026, 5, 5), state=State.ENDED)
    client.force_login(coordinator)

    response = client.get(EXPORT, {"start": "2026-04-01", "end": "2026-06-30"})
    assert response.status_code == 200
    assert references(response) == {first.reference, last.reference}
    assert 'filename="pyynnot-20260401-20260630.csv"' in response["Content-Disposition"]
    # The list's filters apply too.
    every = client.get(EXPORT, {"start": "2026-03-31", "end": "2026-07-01", "state": "all"})
    assert references(every) == {r.reference for r in (first, last, before, after, ended)}
    logged = AccessLog.objects.filter(action=AccessAction.EXPORT)
    assert logged.count() == 2


def test_each_row_names_the_request_and_its_finnish_day_of_submission(client, coordinator):
    # 00.30 on 1 April in Helsinki, 21.30 on 31 March in UTC.
    request = submitted(datetime.date(2026, 4, 1), hour=0, minute=30)
    ChildFactory(request=request)
    client.force_login(coordinator)
    response = client.get(EXPORT, {"start": "2026-04-01", "end": "2026-04-30"})
    rows = [line.split(";") for line in response.content.decode("utf-8-sig").splitlines()]
    assert (rows[0][0], rows[0][5]) == ("Tunnus", "Lähetetty")
    assert rows[1][0] == request.reference and len(request.reference) == 8
    assert rows[1][1] == request.get_state_display()
    assert rows[1][5:] == ["01.04.2026", str(request.children.count())]


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ({"start": "2026-05-01", "end": "2026-04-30"}, "Jakso ei voi päättyä ennen kuin se alkaa."),
        ({"start": "2025-01-01", "end": "2026-01-01"}, "Jakso voi olla enintään vuoden mittainen."),
        ({"start": "1.5.2026x", "end": "2026-05-31"}, "Syötä oikea päivämäärä."),
        ({"start": "2026-05-01"}, "Tämä kenttä vaaditaan."),
    ],
)
def test_a_bad_period_is_answered_with_the_form_and_nothing_is_disclosed(
    client, coordinator, period, message
):
    submitted(datetime.date(2026, 5, 5))
    client.force_login(coordinator)
    response = client.get(EXPORT, {**period, "state": "all"})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert '<input type="hidden" name="state" value="all">' in html
    assert not AccessLog.objects.filter(action=AccessAction.EXPORT).exists()


def test_a_leap_years_whole_year_is_one_period(client, coordinator):
    request = submitted(datetime.date(2028, 12, 31))
    client.force_login(coordinator)
    response = client.get(EXPORT, {"start": "2028-01-01", "end": "2028-12-31"})
    assert references(response) == {request.reference}


@pytest.mark.parametrize(
    ("start", "end", "valid"),
    [
        ("2028-02-29", "2029-02-28", True),
        ("2028-02-29", "2029-03-01", False),
        ("2027-03-01", "2028-02-29", True),
        ("2027-03-01", "2028-03-01", False),
    ],
)
def test_a_year_from_29_february(start, end, valid):
    assert RequestExportForm({"start": start, "end": end}).is_valid() is valid


@time_machine.travel(datetime.datetime(2028, 2, 29, 10, tzinfo=HELSINKI), tick=False)
def test_the_period_offered_is_the_last_twelve_months(client, coordinator):
    form = RequestExportForm()
    assert form["start"].value() == datetime.date(2027, 3, 1)
    assert form["end"].value() == datetime.date(2028, 2, 29)
    client.force_login(coordinator)
    html = client.get(EXPORT).content.decode()
    assert 'value="2027-03-01"' in html and 'value="2028-02-29"' in html


def test_a_period_of_more_requests_than_one_file_carries_is_refused(
    client, coordinator, monkeypatch
):
    for day in (1, 2, 3):
        submitted(datetime.date(2026, 5, day))
    monkeypatch.setattr(views, "EXPORT_LIMIT", 2)
    client.force_login(coordinator)
    response = client.get(EXPORT, {"start": "2026-05-01", "end": "2026-05-31"})
    assert response.status_code == 400
    assert "Jaksolla on yli 2 pyyntöä: valitse lyhyempi jakso." in response.content.decode()
    assert not AccessLog.objects.filter(action=AccessAction.EXPORT).exists()
    response = client.get(EXPORT, {"start": "2026-05-01", "end": "2026-05-02"})
    assert response.status_code == 200 and len(references(response)) == 2
