import io
import re
import stat
import uuid

import pytest
from django.core.management import CommandError, call_command
from psycopg import sql

from common import pgtools
from common.pgtools import Connection
from guardianship.factories import GuardianshipRequestFactory
from guardianship.models import Child, GuardianshipRequest
from municipalities.factories import OrganisationFactory
from municipalities.models import Organisation


def row_counts(dbname: str) -> dict[str, int]:
    """Rows of every table in the public schema, read over a connection of its own."""
    with Connection.from_settings().connect(dbname) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        ).fetchall()
        query = sql.SQL("SELECT count(*) FROM {}")
        return {
            name: conn.execute(query.format(sql.Identifier("public", name))).fetchone()[0]
            for (name,) in tables
        }


def database_exists(name: str) -> bool:
    with Connection.from_settings().connect("postgres") as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


@pytest.fixture
def scratch_database(django_db_setup):
    """A unique database name on the test server, dropped afterwards whatever happened."""
    name = f"{Connection.from_settings().dbname}_restore_{uuid.uuid4().hex[:8]}"
    yield name
    with Connection.from_settings().connect("postgres") as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_every_table_with_the_same_rows(tmp_path, scratch_database):
    OrganisationFactory.create_batch(3)
    GuardianshipRequestFactory.create_batch(2, children=2)
    dump = tmp_path / "nested" / "pikassos.dump"

    out = io.StringIO()
    call_command("backup_database", output=dump, stdout=out)
    assert str(dump) in out.getvalue()
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600  # personal data: owner only
    assert list(dump.parent.iterdir()) == [dump]  # no partial file left behind

    out = io.StringIO()
    call_command("restore_database", str(dump), database=scratch_database, yes=True, stdout=out)
    assert f"Created database {scratch_database}" in out.getvalue()

    source = row_counts(Connection.from_settings().dbname)
    restored = row_counts(scratch_database)
    assert restored == source
    assert restored[Organisation._meta.db_table] == Organisation.objects.count() > 3
    assert restored[GuardianshipRequest._meta.db_table] == 2
    assert restored[Child._meta.db_table] == 4

    # Restoring again over the restored copy (--clean) gives the same rows.
    call_command(
        "restore_database", str(dump), database=scratch_database, yes=True, stdout=io.StringIO()
    )
    assert row_counts(scratch_database) == source


@pytest.mark.django_db
def test_backup_defaults_to_a_timestamped_file_in_backups(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    out = io.StringIO()
    call_command("backup_database", stdout=out)
    (dump,) = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"pikassos-\d{8}-\d{6}\.dump", dump.name)
    assert str(dump) in out.getvalue()
    assert dump.stat().st_size > 0


@pytest.mark.django_db
def test_restore_without_yes_refuses_when_not_interactive(tmp_path, scratch_database, monkeypatch):
    dump = tmp_path / "pikassos.dump"
    call_command("backup_database", output=dump, stdout=io.StringIO())
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))  # not a terminal, whatever it says
    with pytest.raises(CommandError, match="Refusing without --yes when not run interactively"):
        call_command("restore_database", str(dump), database=scratch_database)
    assert not database_exists(scratch_database)


def test_restoring_a_missing_file_says_so(tmp_path):
    missing = tmp_path / "missing.dump"
    with pytest.raises(CommandError, match=f"^No dump file at {re.escape(str(missing))}.$"):
        call_command("restore_database", str(missing), yes=True)


def test_restoring_something_that_is_not_a_dump_says_so(tmp_path):
    junk = tmp_path / "notes.dump"
    junk.write_text("not a dump\n")
    with pytest.raises(CommandError, match="is not a readable pg_dump custom-format file"):
        call_command("restore_database", str(junk), yes=True)


def test_the_password_reaches_the_tools_through_the_environment_only():
    conn = Connection(host="db.example", port="5432", user="portal", password="s3cret", dbname="p")
    assert "s3cret" not in " ".join(conn.args("p"))
    assert conn.args("p") == [
        "--no-password",
        "--dbname",
        "p",
        "--host",
        "db.example",
        "--port",
        "5432",
        "--username",
        "portal",
    ]
    assert conn.env()["PGPASSWORD"] == "s3cret"


def test_the_oldest_client_at_least_as_new_as_the_server_is_chosen(monkeypatch):
    majors = {"/a/pg_dump": 16, "/b/pg_dump": 18, "/c/pg_dump": 15}
    monkeypatch.delenv("PG_BIN_DIR", raising=False)
    monkeypatch.setattr(pgtools, "candidates", lambda name: list(majors))
    monkeypatch.setattr(pgtools, "tool_major", majors.get)
    assert pgtools.find_tool("pg_dump", 15) == "/c/pg_dump"
    assert pgtools.find_tool("pg_dump", 17) == "/b/pg_dump"
    assert pgtools.find_tool("pg_dump") == "/b/pg_dump"  # reading a dump: the newest
    with pytest.raises(CommandError, match="No pg_dump of PostgreSQL 19 or newer"):
        pgtools.find_tool("pg_dump", 19)


def test_pg_bin_dir_overrides_the_lookup(monkeypatch, tmp_path):
    monkeypatch.setenv("PG_BIN_DIR", str(tmp_path))
    with pytest.raises(CommandError, match=f"PG_BIN_DIR={re.escape(str(tmp_path))} has no"):
        pgtools.find_tool("pg_dump", 15)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_gives_the_application_role_its_grants_back(tmp_path, scratch_database):
    """pg_restore --no-privileges drops every grant: without them each page answers 500
    while a bare SELECT 1 says all is well (issue 17, part 2)."""
    role = f"pikassos_app_{uuid.uuid4().hex[:8]}"
    admin = Connection.from_settings()
    with admin.connect("postgres") as conn:
        conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
    try:
        dump = tmp_path / "pikassos.dump"
        call_command("backup_database", output=dump, stdout=io.StringIO())
        out = io.StringIO()
        call_command(
            "restore_database",
            str(dump),
            database=scratch_database,
            yes=True,
            grant_to=[role],
            stdout=out,
        )
        assert f"Gave {role} its grants back." in out.getvalue()
        # Restoring again over it: the grants are found before and given back after.
        out = io.StringIO()
        call_command("restore_database", str(dump), database=scratch_database, yes=True, stdout=out)
        assert f"Gave {role} its grants back." in out.getvalue()
        with admin.connect(scratch_database) as conn:
            granted = conn.execute(
                "SELECT has_table_privilege(%s, 'django_session', 'SELECT, INSERT'), "
                "has_table_privilege(%s, 'guardianship_accesslog', 'UPDATE')",
                [role, role],
            ).fetchone()
        assert granted == (True, False)
    finally:
        with admin.connect(scratch_database) as conn:
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
        with admin.connect("postgres") as conn:
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
