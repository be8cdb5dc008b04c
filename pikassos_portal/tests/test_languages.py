"""Pages in Swedish and English: the language a user picks is kept (set_language)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_page_rendered_in_swedish(client, planner):
    client.force_login(planner)
    client.cookies["django_language"] = "sv"
    html = client.get(reverse("municipalities:directory")).content.decode()
    assert '<html lang="sv">' in html
    assert "Organisationer" in html
    assert "Björneborg" in html


def test_language_switch_stores_the_choice(client, planner):
    client.force_login(planner)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Organisations" in client.get(reverse("municipalities:directory")).content.decode()


# Finnish first, whatever the browser says; Finnish dates in every language (issue 16,
# part 7). -------------------------------------------------------------------------------


@pytest.fixture
def event_on_30_november():
    import datetime

    from django.utils import timezone

    from projects.factories import EventFactory

    start = timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 5))
    return EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=8, minutes=43))


def test_an_english_browser_gets_the_portal_in_finnish(client, planner):
    client.force_login(planner)
    response = client.get(reverse("municipalities:directory"), HTTP_ACCEPT_LANGUAGE="en-GB,en")
    html = response.content.decode()
    assert '<html lang="fi">' in html
    assert "Organisaatiot" in html
    assert response["Content-Language"] == "fi"
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_login_page_is_finnish_for_a_swedish_browser(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="sv-FI,sv").content.decode()
    assert '<html lang="fi">' in html


def test_the_choice_is_remembered_for_a_year(client):
    response = client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    cookie = response.cookies["django_language"]
    assert cookie.value == "sv"
    assert int(cookie["max-age"]) == 365 * 24 * 60 * 60
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="sv">' in html


def test_an_unknown_language_in_the_cookie_gives_finnish(client):
    client.cookies["django_language"] = "de"
    assert '<html lang="fi">' in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "30.11.2026 9.05"), ("sv", "30.11.2026 9.05"), ("en", "30.11.2026 9.05")],
)
def test_dates_and_times_are_written_the_finnish_way_in_every_language(
    client, event_on_30_november, language, expected
):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    html = client.get(
        event_on_30_november.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-US"
    ).content.decode()
    assert f'<html lang="{language}">' in html
    assert expected in html
    assert ">17.48</time>" in html
    assert "11/30/2026" not in html and "Nov. 30" not in html and "2026-11-30 " not in html
    assert "a.m." not in html and "p.m." not in html


def test_numbers_have_a_decimal_comma_and_a_no_break_space_in_every_language():
    from decimal import Decimal

    from django.utils import formats, translation

    for language in ("fi", "sv", "en"):
        with translation.override(language):
            assert formats.number_format(Decimal("12345.5"), 2, force_grouping=True) == (
                "12\xa0345,50"
            )
