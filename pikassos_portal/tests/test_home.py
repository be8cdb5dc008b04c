"""The home page of each role and what every page has (the base template)."""

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
