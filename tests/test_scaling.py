"""Serving from more than one machine: two gunicorn hosts share one database and its
sessions, and one Redis (CACHE_URL): a user deactivated through one host is refused at
once by the other. (Reads of the statistics from a replica: common/tests/test_routers.py.)"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import override_settings

from accounts.factories import make_user
from accounts.roles import Role

# Each run's keys are its own: the auth cache's keys carry an id of SECRET_KEY (random
# here), and the sessions' keys are random.
REDIS_URL = os.environ.get("AUTH_CACHE_TEST_REDIS", "redis://127.0.0.1:6379/7")
ROOT = Path(__file__).resolve().parent.parent
SHARED_KEY = secrets.token_urlsafe(50)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url():
    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    if host.startswith("/"):
        return f"postgres://{db['USER']}@/{db['NAME']}?host={urllib.parse.quote(host)}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def wait_for(url):
    for _ in range(60):
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:  # refused while booting, or slow on a busy machine
            time.sleep(0.5)
    raise AssertionError(f"{url} did not start")


def redis_reachable():
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_gunicorn_hosts_share_the_database_and_the_sessions():
    planner = make_user(Role.PLANNER, ["pikassos"], username="shared-session-planner")
    if not redis_reachable():
        pytest.skip(f"no Redis at {REDIS_URL}: CACHE_URL's shared auth cache is not tested")
    env = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": SHARED_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "DATABASE_URL": database_url(),
        "CACHE_URL": REDIS_URL,
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    ports = [free_port(), free_port()]
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    servers = [
        subprocess.Popen(
            [gunicorn, "pikassos_portal.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{p}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for p in ports
    ]
    try:
        hosts = [f"http://127.0.0.1:{p}" for p in ports]
        for host in hosts:
            wait_for(host + "/healthz")
        # A session stored in the shared database, as after a login on either host. The
        # hosts share SECRET_KEY, which signs the session's password hash.
        with override_settings(SECRET_KEY=SHARED_KEY):
            session = SessionStore()
            session.update(
                {
                    SESSION_KEY: str(planner.pk),
                    BACKEND_SESSION_KEY: "accounts.backends.ModelBackend",
                    HASH_SESSION_KEY: planner.get_session_auth_hash(),
                }
            )
            session.create()
        for host in hosts:
            page = home_page(host, session.session_key)
            assert planner.first_name in page and "/accounts/logout/" in page
        # Both hosts now hold the session and the user in Redis. Deactivated by another
        # process of the portal with the same settings (as an admin's save on a third
        # host), both hosts refuse the session at once, without a restart or a wait.
        deactivate = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from django.contrib.auth import get_user_model; "
                f"u = get_user_model().objects.get(pk={planner.pk}); "
                "u.is_active = False; u.save()",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=120,
            capture_output=True,
        )
        assert deactivate.returncode == 0
        for host in reversed(hosts):
            page = home_page(host, session.session_key)
            assert planner.first_name not in page and "/accounts/logout/" not in page
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def home_page(host, session_key):
    request = urllib.request.Request(host + "/", headers={"Cookie": f"sessionid={session_key}"})
    with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
        assert response.status == 200
        return response.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        raise urllib.error.HTTPError(args[0].full_url, args[2], args[3], args[4], args[1])
