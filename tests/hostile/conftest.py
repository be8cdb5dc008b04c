"""The fixtures of the fuzzing: the users, the World and signed-in clients, made once for
the module in a transaction that is rolled back at its end."""

import traceback
from http.cookies import SimpleCookie

import pytest
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client, override_settings

from accounts.factories import make_user
from tests.hostile.harness import Clients, Scope, Shared, fingerprint
from tests.hostile.world import USERS, World


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    """Users, objects and signed-in clients, in a transaction rolled back at the end."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            users = {
                role: make_user(*spec[:2], username=spec[2], units=spec[3])
                for role, spec in USERS.items()
            }
            users["superuser"] = make_user(username="root-admin", is_staff=True, is_superuser=True)
            users["anonymous"] = None
            world = World(users)
            clients, sessions = {}, {}
            for role, user in users.items():
                plain, strict = Client(), Client(enforce_csrf_checks=True)
                for client in (plain, strict):
                    client.raise_request_exception = False
                    # WhiteNoise would scan STATIC_ROOT for every client; no static files
                    # are asked for here.
                    with override_settings(WHITENOISE_AUTOREFRESH=True):
                        client.handler.load_middleware()
                if user is not None:
                    plain.force_login(user)
                clients[role] = (plain, strict)
                sessions[role] = {key: morsel.value for key, morsel in plain.cookies.items()}
            scopes = {role: Scope.of(user) for role, user in users.items()}
            yield Shared(users, world, clients, sessions, scopes, fingerprint())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(shared):
    return shared.world


@pytest.fixture
def clients(form, role, shared, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # receipts of successful claims
    user = shared.users[role]
    plain, strict = shared.clients[role]
    plain.cookies = SimpleCookie(shared.sessions[role])
    strict.cookies = SimpleCookie(shared.sessions[role])
    if form.prime:
        form.prime(shared.world, user, (plain, strict))
    result = Clients(plain, strict, user, shared.scopes[role], shared.baseline)

    def record(sender, request=None, **kwargs):
        result.errors.append(traceback.format_exc())

    got_request_exception.connect(record, weak=False)
    yield result
    got_request_exception.disconnect(record)
