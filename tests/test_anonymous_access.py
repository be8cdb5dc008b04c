"""Every URL pattern, walked as an anonymous user: only the public ones answer."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Names (with namespace) that anyone may open.
PUBLIC = {
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
}

# Public detail pages answer anonymous users for public items only; the sample objects do
# not exist, so they answer 404, as for an internal item (tested in projects/tests).
PUBLIC_DETAIL = {"projects:detail", "events:detail", "news:detail"}

SAMPLE_KWARGS = {
    "slug": "pori",
    "uuid": str(uuid.uuid4()),
    "pk": "1",
    "object_id": "1",
    "id": "1",
    "uidb64": "MQ",
    "token": "set-password",
    "content_type_id": "1",
    "app_label": "municipalities",
    "url": "x",
    "step": "submit",
    "answer": "accept",
    "table": "municipalities",
    "fmt": "csv",
    "assignment": str(uuid.uuid4()),
    "expense": str(uuid.uuid4()),
}


def walk(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from walk(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def url_for(name, pattern):
    kwargs = {key: SAMPLE_KWARGS[key] for key in pattern.pattern.regex.groupindex}
    try:
        return reverse(name, kwargs=kwargs)
    except Exception:  # admin's regex-based routes want other values; skip them
        return None


def all_urls():
    seen = {}
    for name, pattern in walk(get_resolver()):
        url = url_for(name, pattern)
        if url and url not in seen.values():
            seen[name] = url
    return sorted(seen.items())


@pytest.mark.parametrize(("name", "url"), all_urls())
def test_every_non_public_url_redirects_anonymous_users_to_login(client, name, url):
    response = client.get(url)
    if name in PUBLIC_DETAIL:
        assert response.status_code == 404, name
    elif name in PUBLIC:
        # 405: logout answers POST only; set_language redirects back where it came from.
        assert response.status_code in (200, 302, 405), name
        if response.status_code == 302:
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
