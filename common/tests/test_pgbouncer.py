"""The portal behind PgBouncer in transaction mode (issue 17, part 8; README "PgBouncer"):
pages and a workflow step work, the history names who acted, and the web role's bounded
waits (set on the role by database_grants, not as startup options, which PgBouncer
refuses) apply to its pooled server connections.

Debian's `pgbouncer` is started on a free port in front of the test database's own
server (the embedded one's Unix socket, or DATABASE_URL's host and port); the test is
skipped when the binary is not installed (`apt-get install pgbouncer`).
"""

import io
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse
from psycopg import sql

from guardianship.enums import State
from guardianship.models import GuardianshipRequest
from guardianship.tests.helpers import request_form_data

PGBOUNCER = shutil.which("pgbouncer") or shutil.which("pgbouncer", path="/usr/sbin:/sbin")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def web_role(settings):
    """A login role given the application's grants and, on the role, bounded waits short
    enough to see: a statement may take at most 300 ms."""
    settings.DATABASE_ROLE_TIMEOUTS = {
        **settings.DATABASE_ROLE_TIMEOUTS,
        "statement_timeout": "300ms",
    }
    role = f"pikassos_web_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)).as_string())
    call_command("database_grants", role, apply=True, stdout=io.StringIO())
    yield role
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)).as_string())
        cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)).as_string())


@pytest.fixture
def pgbouncer(web_role):
    """PgBouncer in transaction mode in front of the test database; its port."""
    params = connection.get_connection_params()
    host = params.get("host") or "/var/run/postgresql"
    port = params.get("port") or 5432
    dbname = connection.settings_dict["NAME"]
    owner = connection.settings_dict["USER"] or "postgres"
    folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    folder.chmod(0o755)
    listen = free_port()
    (folder / "users.txt").write_text(f'"{owner}" ""\n"{web_role}" ""\n')
    settings = [
        "[databases]",
        f"{dbname} = host={host} port={port} dbname={dbname}",
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        f"listen_port = {listen}",
        "unix_socket_dir =",
        "auth_type = trust",
        f"auth_file = {folder / 'users.txt'}",
        "pool_mode = transaction",
        "default_pool_size = 2",
        "max_client_conn = 20",
        "server_login_retry = 1",
    ]
    if os.geteuid() == 0:
        # PgBouncer refuses to run as root: it runs as the owner of the server's socket
        # folder (the embedded server's system user), or as nobody (a TCP server, or a
        # socket folder open to all).
        uid = os.stat(host).st_uid if host.startswith("/") else 0
        user = pwd.getpwuid(uid).pw_name if uid else "nobody"
        settings.append(f"user = {user}")
    (folder / "pgbouncer.ini").write_text("\n".join(settings) + "\n")
    for path in folder.iterdir():
        path.chmod(0o644)
    log = (folder / "log").open("w+")
    process = subprocess.Popen(
        [PGBOUNCER, str(folder / "pgbouncer.ini")], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                psycopg.connect(
                    host="127.0.0.1", port=listen, dbname=dbname, user=owner, connect_timeout=2
                ).close()
                break
            except psycopg.OperationalError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"pgbouncer did not start: {log.read()[-2000:]}")
                time.sleep(0.1)
        yield listen
    finally:
        process.terminate()
        process.wait(10)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def through_pgbouncer(pgbouncer, web_role):
    """Django's connection goes through PgBouncer as the web role, as a web host's does
    with DATABASE_URL=postgres://ROLE@pgbouncer:6432/... and DATABASE_POOLER=pgbouncer."""
    saved = {key: connection.settings_dict[key] for key in ("HOST", "PORT", "USER")}
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(pgbouncer), USER=web_role)
    yield pgbouncer
    connection.close()
    connection.settings_dict.update(saved)


@pytest.mark.skipif(
    PGBOUNCER is None,
    reason="pgbouncer is not installed (apt-get install pgbouncer; make test does when it can)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_and_a_workflow_step_work_through_pgbouncer_in_transaction_mode(
    sw_pori, coordinator, through_pgbouncer
):
    started = time.monotonic()
    browser = Client()
    browser.force_login(sw_pori)
    response = browser.post(reverse("guardianship:request_create"), request_form_data())
    assert response.status_code == 302, response.content[:500]
    assert connection.connection.info.port == through_pgbouncer  # really through PgBouncer
    request = GuardianshipRequest.objects.get()

    browser.force_login(coordinator)
    for url in (
        reverse("home"),
        reverse("guardianship:request_list"),
        request.get_absolute_url(),
        reverse("guardianship:guardian_list"),
    ):
        assert browser.get(url).status_code == 200, url
    step = reverse(
        "guardianship:request_step", kwargs={"uuid": request.uuid, "step": "start_search"}
    )
    assert browser.post(step).status_code == 302
    request.refresh_from_db()
    assert request.state == State.SEARCHING
    # The history names who acted, though every transaction may run on another server
    # connection (pghistory's context is set per transaction).
    changed = request.history.order_by("pgh_id").last()
    assert changed.state == State.SEARCHING
    assert changed.pgh_context.metadata["user"] == coordinator.pk

    # /healthz probes through PgBouncer as the web role too.
    health = browser.get(reverse("healthz"))
    assert (health.status_code, health.json()["privileges"]) == (200, "ok")

    # The role's bounded waits reach its pooled connections: a runaway statement is cut.
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "300ms"
    with (
        pytest.raises(OperationalError, match="statement timeout"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_sleep(2)")
    assert time.monotonic() - started < 20


def settings_with(**env):
    """The settings module imported in a fresh interpreter with `env`: its exit status and
    the last line it printed."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; d = settings.DATABASES['default']; "
            "print(d['DISABLE_SERVER_SIDE_CURSORS'], settings.DATABASE_POOLER)",
        ],
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "pikassos_portal.settings",
            "DEBUG": "True",
            **env,
        },
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
    )
    return done.returncode, (done.stdout + done.stderr).strip().splitlines()[-1]


def test_behind_pgbouncer_the_settings_refuse_startup_options():
    url = "postgres://web@pgbouncer.example.fi:6432/pikassos"
    assert settings_with(DATABASE_URL=url, DATABASE_POOLER="pgbouncer") == (0, "True pgbouncer")
    with_options = f"{url}?options=-c%20statement_timeout%3D30s"
    status, last = settings_with(DATABASE_URL=with_options, DATABASE_POOLER="pgbouncer")
    assert status != 0
    assert "PgBouncer refuses startup options" in last
    # Straight to PostgreSQL they are allowed (the server accepts them).
    assert settings_with(DATABASE_URL=with_options)[0] == 0
    status, last = settings_with(DATABASE_URL=url, DATABASE_POOLER="pgpool")
    assert status != 0 and "DATABASE_POOLER" in last


@pytest.mark.parametrize("command", ["worker", "backup_database", "ensure_database"])
def test_commands_that_need_a_session_refuse_to_run_through_pgbouncer(settings, command):
    settings.DATABASE_POOLER = "pgbouncer"
    with pytest.raises(CommandError, match="talks to PostgreSQL directly"):
        call_command(command, "--once") if command == "worker" else call_command(command)
