"""The shared auth cache (accounts.authcache) on a real Redis: fewer queries per page, and
every change to a user, their roles, units, password, session or second factor seen by
the very next request. Skipped when no Redis answers at AUTH_CACHE_TEST_REDIS."""

import os
import uuid

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.checks import run_checks
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import authcache, signals
from accounts.backends import ModelBackend
from accounts.roles import Role
from municipalities.models import Organisation, Unit

REDIS_URL = os.environ.get("AUTH_CACHE_TEST_REDIS", "redis://127.0.0.1:6379/7")
PASSWORD = "correct horse battery staple"


@pytest.fixture
def shared_cache(settings):
    """Django's cache on Redis with the auth caches on, as with CACHE_URL=redis://...;
    keys under a prefix of this test's own, deleted afterwards (parallel workers share
    the Redis database, so it is never flushed)."""
    import redis

    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL} ({error}): the shared auth cache is not tested")
    prefix = f"test-auth-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.AUTH_CACHE_SECONDS = 300
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    signals.connect_auth_cache_invalidation()
    yield
    signals.disconnect_auth_cache_invalidation()
    keys = list(server.scan_iter(f"{prefix}:*"))
    if keys:
        server.delete(*keys)


def verified_client(user):
    """A client signed in as the user with a confirmed second factor, as after a login."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    # The tombstones of the setup's own changes (the new device, the test's fixtures)
    # would keep both out of the cache for TOMBSTONE_SECONDS: as if that much time passed.
    cache.delete_many([authcache.user_key(user.pk), authcache.device_key(device.persistent_id)])
    return client, device


def user_queries(captured):
    return [q["sql"] for q in captured if '"accounts_user"' in q["sql"]]


def page_queries(client, url):
    """The page's queries, without the savepoints of ATOMIC_REQUESTS inside the test's
    transaction."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response
    return [q for q in captured if "SAVEPOINT" not in q["sql"]]


@pytest.fixture
def coordinator_2fa(coordinator, settings):
    settings.REQUIRE_2FA = True
    return coordinator


def test_the_cache_is_off_without_a_shared_cache(settings):
    # The test suite's (and `make run`'s) local-memory cache.
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert settings.AUTH_CACHE_SECONDS == 0
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert not authcache.enabled()


def test_a_signed_in_page_reads_no_session_user_or_device(coordinator_2fa, shared_cache):
    url = reverse("accessibility")
    client, device = verified_client(coordinator_2fa)
    first = page_queries(client, url)  # fills the cache
    # The user and the device; the session was cached when the login saved it.
    assert len(first) == 2, [q["sql"] for q in first]
    assert len(user_queries(first)) == 1
    warm = page_queries(client, url)
    assert [q["sql"] for q in warm] == []


def test_without_the_shared_cache_the_same_page_reads_all_three(coordinator_2fa):
    url = reverse("accessibility")
    client, device = verified_client(coordinator_2fa)
    page_queries(client, url)
    captured = page_queries(client, url)
    assert len(captured) == 3, [q["sql"] for q in captured]
    assert len(user_queries(captured)) == 1
    assert any('"django_session"' in q["sql"] for q in captured)
    assert any('"otp_totp_totpdevice"' in q["sql"] for q in captured)


def deactivate_by_save(user):
    user.is_active = False
    user.save()


def deactivate_by_update(user):
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)


def deactivate_by_bulk_update(user):
    user.is_active = False
    get_user_model().objects.bulk_update([user], ["is_active"])


@pytest.mark.parametrize(
    "deactivate", [deactivate_by_save, deactivate_by_update, deactivate_by_bulk_update]
)
def test_deactivation_ends_the_next_request(coordinator_2fa, shared_cache, deactivate):
    client, _device = verified_client(coordinator_2fa)
    page_queries(client, reverse("home"))
    assert user_queries(page_queries(client, reverse("home"))) == []  # from the cache
    deactivate(get_user_model().objects.get(pk=coordinator_2fa.pk))
    response = client.get(reverse("home"))
    # The front page for visitors: the session no longer signs anybody in.
    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous


def test_deactivation_in_the_admin_ends_the_next_request(coordinator, superuser, shared_cache):
    client, _device = verified_client(coordinator)
    page_queries(client, reverse("home"))
    admin = Client()
    admin.force_login(superuser)
    url = reverse("admin:accounts_user_change", args=[coordinator.pk])
    form = admin.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update(
        username=coordinator.username,
        is_active="",
        groups=[group.pk for group in coordinator.groups.all()],
        date_joined_0=coordinator.date_joined.strftime("%d.%m.%Y"),
        date_joined_1=coordinator.date_joined.strftime("%H.%M.%S"),
    )
    for name in ("is_active", "last_login", "date_joined", "password"):
        data.pop(name, None)
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not get_user_model().objects.get(pk=coordinator.pk).is_active
    assert client.get(reverse("home")).wsgi_request.user.is_anonymous


@pytest.mark.parametrize("side", ["user", "group"])
def test_a_removed_role_is_gone_at_once(coordinator, shared_cache, side):
    client, _device = verified_client(coordinator)
    url = reverse("guardianship:request_list")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # the cached user
    group = Group.objects.get(name=Role.COORDINATOR)
    if side == "user":
        coordinator.groups.remove(group)
    else:
        group.user_set.clear()
    assert client.get(url).status_code == 403


def test_a_renamed_group_is_another_role_at_once(coordinator, shared_cache):
    backend = ModelBackend()
    assert backend.get_user(coordinator.pk).has_role(Role.COORDINATOR)
    assert backend.get_user(coordinator.pk).__dict__.get("_from_auth_cache")
    group = Group.objects.get(name=Role.COORDINATOR)
    group.name = "retired coordinators"
    group.save()
    assert not backend.get_user(coordinator.pk).has_role(Role.COORDINATOR)


def test_units_changed_on_either_side_are_seen_at_once(sw_pori, shared_cache):
    backend = ModelBackend()
    pori = Unit.objects.get(name="Lastensuojelu, Pori")
    rauma = Unit.objects.get(name="Lastensuojelu, Rauma")
    assert backend.get_user(sw_pori.pk).unit_ids == {pori.pk}
    assert backend.get_user(sw_pori.pk).unit_ids == {pori.pk}  # cached
    pori.members.remove(sw_pori)
    assert backend.get_user(sw_pori.pk).unit_ids == frozenset()
    backend.get_user(sw_pori.pk)
    sw_pori.units.add(rauma)
    assert backend.get_user(sw_pori.pk).unit_ids == {rauma.pk}
    backend.get_user(sw_pori.pk)
    rauma.members.clear()
    assert backend.get_user(sw_pori.pk).unit_ids == frozenset()


def test_organisations_changed_on_either_side_are_seen_at_once(payer, shared_cache):
    """A payer's lists are scoped by the user's organisations, cached with the user
    (issue 18): a membership added or removed on either side is seen at the next request."""
    backend = ModelBackend()
    county = Organisation.objects.get(slug="satakunnan-hyvinvointialue")
    pori = Organisation.objects.get(slug="pori")
    assert backend.get_user(payer.pk).organisation_ids == {county.pk}
    with CaptureQueriesContext(connection) as captured:
        assert backend.get_user(payer.pk).organisation_ids == {county.pk}  # cached
    assert not captured
    county.users.remove(payer)
    assert backend.get_user(payer.pk).organisation_ids == frozenset()
    backend.get_user(payer.pk)
    payer.organisations.add(pori)
    assert backend.get_user(payer.pk).organisation_ids == {pori.pk}
    backend.get_user(payer.pk)
    pori.users.clear()
    assert backend.get_user(payer.pk).organisation_ids == frozenset()


def test_a_password_change_ends_the_other_sessions(coordinator, shared_cache):
    here, device = verified_client(coordinator)
    elsewhere = Client()
    elsewhere.force_login(coordinator)
    for client in (here, elsewhere):
        client.get(reverse("home"))
        assert client.get(reverse("home")).wsgi_request.user == coordinator
    new = "a quite new password 2026"
    response = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert get_user_model().objects.get(pk=coordinator.pk).check_password(new)
    assert here.get(reverse("home")).wsgi_request.user == coordinator
    assert elsewhere.get(reverse("home")).wsgi_request.user.is_anonymous


def test_logout_ends_the_session_in_the_cache_and_the_database(coordinator, shared_cache):
    client, _device = verified_client(coordinator)
    client.get(reverse("home"))
    cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    stolen = Client()
    stolen.cookies["sessionid"] = cookie
    assert stolen.get(reverse("home")).wsgi_request.user.is_anonymous
    assert cache.get(f"django.contrib.sessions.cached_db{cookie}") is None


@pytest.mark.parametrize("change", ["delete", "unconfirm"])
def test_a_deleted_or_unconfirmed_device_asks_for_2fa_again(coordinator_2fa, shared_cache, change):
    client, device = verified_client(coordinator_2fa)
    assert client.get(reverse("home")).status_code == 200
    captured = page_queries(client, reverse("home"))
    assert not any("otp_totp" in q["sql"] for q in captured)  # the cached device
    if change == "delete":
        device.delete()
    else:
        device.confirmed = False
        device.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_the_cache_keeps_no_secret(coordinator_2fa, shared_cache):
    client, device = verified_client(coordinator_2fa)
    client.get(reverse("home"))
    entry = cache.get(authcache.user_key(coordinator_2fa.pk))
    assert "password" not in entry["fields"]
    assert coordinator_2fa.password not in repr(entry)
    facts = cache.get(authcache.device_key(device.persistent_id))
    assert facts == {"user_id": coordinator_2fa.pk, "confirmed": True}


def test_a_cached_user_is_never_saved_over_the_row(coordinator, shared_cache):
    ModelBackend().get_user(coordinator.pk)
    cached = ModelBackend().get_user(coordinator.pk)
    assert cached.__dict__.get("_from_auth_cache")
    with pytest.raises(RuntimeError):
        cached.save()


def test_a_stale_copy_cannot_be_cached_after_a_change(coordinator, shared_cache):
    # A request read the row just before the deactivation and caches it just after.
    stale = get_user_model().objects.get(pk=coordinator.pk)
    stale.role_names, stale.unit_id_list, stale.organisation_id_list = [Role.COORDINATOR], [], []
    cache.delete(authcache.user_key(coordinator.pk))
    deactivate_by_save(get_user_model().objects.get(pk=coordinator.pk))
    authcache.store_user(stale)  # refused by the tombstone
    assert authcache.cached_user(coordinator.pk) is None
    assert ModelBackend().get_user(coordinator.pk) is None


def test_a_session_signed_with_another_password_is_refused(coordinator, shared_cache):
    client, _device = verified_client(coordinator)
    client.get(reverse("home"))
    session = client.session
    assert session[SESSION_KEY] == str(coordinator.pk)
    session["_auth_user_hash"] = "0" * 64
    session.save()
    assert client.get(reverse("home")).wsgi_request.user.is_anonymous


def test_check_deploy_warns_of_a_per_process_cache(settings):
    settings.DEBUG = False
    warnings = [m.id for m in run_checks(include_deployment_checks=True, tags=["caches"])]
    assert "accounts.W001" in warnings
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    warnings = [m.id for m in run_checks(include_deployment_checks=True, tags=["caches"])]
    assert "accounts.W001" not in warnings
