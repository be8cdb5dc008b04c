"""Every URL pattern, walked as an anonymous user: only the public ones answer."""

import pytest
from django.urls import reverse

from tests.url_walk import all_urls

pytestmark = pytest.mark.django_db

# Names (with namespace) that anyone may open.
PUBLIC = {
    "home",
    "favicon",
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "accessibility",
    "set_language",
    "admin:login",
    "admin:logout",
    "projects:list",
    "events:list",
    "events:past",
    "events:calendar",
    "news:list",
    "news:feed",
    # The development question desk and the site search (issue 19).
    "development:answer_list",
    "development:ask",
    "search",
    # Networks (issue 19, part 4): the public ones, without their contact persons.
    "development:network_list",
    # The bulletin (issue 19, part 5): the archive, subscribing, and its e-mails' links
    # (the sample token is no link we sent: the page says so, with a 404).
    "development:bulletin_archive",
    "development:bulletin_subscribe",
}

# Public detail pages answer anonymous users for public items only; the sample objects do
# not exist, so they answer 404, as for an internal item (tested in projects/tests).
PUBLIC_DETAIL = {
    "projects:detail",
    "events:detail",
    "events:ics",
    "news:detail",
    "development:answer_detail",
    "development:network_detail",
    "development:bulletin_detail",
    "development:bulletin_confirm",
    "development:bulletin_unsubscribe",
}


@pytest.mark.parametrize(("name", "url"), all_urls())
def test_every_non_public_url_redirects_anonymous_users_to_login(client, name, url):
    response = client.get(url)
    if name in PUBLIC_DETAIL:
        assert response.status_code == 404, name
    elif name in PUBLIC:
        # 405: logout answers POST only; set_language redirects back where it came from,
        # favicon to the static icon.
        assert response.status_code in (200, 301, 302, 405), name
        if response.status_code in (301, 302):
            assert not response["Location"].startswith(reverse("login")), name
    else:
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")) or response["Location"].startswith(
            reverse("admin:login")
        ), name


def test_walk_finds_the_portal_urls():
    names = dict(all_urls())
    assert {"home", "municipalities:directory", "municipalities:detail", "admin:index"} <= set(
        names
    )
