import pytest
from django.urls import reverse

from guardianship.enums import State
from guardianship.factories import GuardianshipRequestFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("coordinator", "koordinaattorina"),
        ("sw_pori", "sosiaalityöntekijänä"),
        ("guardian_user", "edunvalvojana"),
        ("planner", "Pikassoksen henkilöstönä"),
    ],
)
def test_home_page_says_what_each_role_can_do_in_finnish(client, request, fixture, expected):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert '<html lang="fi">' in response.content.decode()


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


def test_login_and_logout(client, sw_pori):
    response = client.post(
        reverse("login"), {"username": sw_pori.username, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("logout")).status_code == 405  # logout is POST only
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_a_wrong_password_shows_an_error(client, sw_pori):
    response = client.post(reverse("login"), {"username": sw_pori.username, "password": "nope"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()


def test_password_reset_sends_a_link_by_email(client, sw_pori, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": sw_pori.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_password_change(client, sw_pori):
    client.force_login(sw_pori)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": "uusi-salasana-2026!",
            "new_password2": "uusi-salasana-2026!",
        },
    )
    assert response.status_code == 302
    sw_pori.refresh_from_db()
    assert sw_pori.check_password("uusi-salasana-2026!")


def test_every_page_has_a_skip_link_and_main_landmark(client, planner):
    client.force_login(planner)
    html = client.get(reverse("home")).content.decode()
    assert 'href="#main"' in html
    assert '<main id="main"' in html


def test_home_page_counts_the_open_requests_and_links_to_them(client, coordinator):
    GuardianshipRequestFactory.create_batch(3, state=State.SEARCHING)
    GuardianshipRequestFactory.create_batch(2, state=State.ENDED)
    client.force_login(coordinator)
    response = client.get(reverse("home"))
    assert [(value, n) for value, _label, n in response.context["state_counts"]] == [
        ("searching", 3)
    ]
    html = response.content.decode()
    assert "Avoimet pyynnöt tilan mukaan" in html
    assert f'href="{reverse("guardianship:request_list")}?state=searching"' in html
