import os
import re
import sys
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from common.dbroles import grant_statements, grantees, role_settings_statements
from common.pgtools import Connection, find_tool, first_line, run

TIMEOUT = 3600  # seconds, for the restore itself
LIST_TIMEOUT = 300  # seconds, for reading the dump's table of contents


class Command(BaseCommand):
    help = (
        "Restore a pg_dump custom-format file (from backup_database) into the configured "
        "database, or into --database NAME (created if missing). Objects in the dump are "
        "dropped and recreated; the restore runs in one transaction, so a failure changes "
        "nothing."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .dump file to restore")
        parser.add_argument(
            "--database", help="restore into this database instead (created if missing)"
        )
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--grant-to",
            action="append",
            default=[],
            metavar="ROLE",
            help="give ROLE the application's grants after the restore (the roles that had "
            "grants before it get them back without this)",
        )

    def handle(self, *args, file, database=None, yes=False, grant_to=(), **options):
        conn = Connection.from_settings("restore_database")
        target = database or conn.dbname
        path = file.expanduser().absolute()
        if not path.is_file():
            raise CommandError(f"No dump file at {path}.")
        if not os.access(path, os.R_OK):
            raise CommandError(f"Cannot read {path}: permission denied.")
        # Read the dump's header first: a broken file fails here, before anything is dropped.
        contents = run(
            find_tool("pg_restore"),
            ["--list", str(path)],
            conn,
            LIST_TIMEOUT,
            failure=f"{path} is not a readable pg_dump custom-format file",
        )
        server = conn.server_major("postgres")
        # PostgreSQL loads dumps of the same or an older server, made by a pg_dump no newer
        # than itself (pg_dump 17+ writes settings that 16 and older reject).
        for what in ("Dumped from database version", "Dumped by pg_dump version"):
            found = re.search(rf"{what}: (\d+)", contents)
            if found and int(found[1]) > server:
                raise CommandError(
                    f"PostgreSQL {server} at {conn.where} cannot load {path}: "
                    f"{what[0].lower()}{what[1:]} {found[1]}. Restore it into PostgreSQL "
                    f"{found[1]} or newer, or take the backup with the server's own pg_dump."
                )
        if not yes:
            self.confirm(path, target, conn)

        if conn.create_database_if_missing(target):
            self.stdout.write(self.style.SUCCESS(f"Created database {target}."))
        # pg_restore --no-privileges drops the application role's grants with the tables:
        # note who had them, to give them back.
        with conn.connect(target) as db:
            roles = sorted({*grantees(db), *grant_to})
        run(
            find_tool("pg_restore", server),
            [
                *conn.args(target),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                str(path),
            ],
            conn,
            TIMEOUT,
            failure=f"Restore into database {target} on {conn.where} failed and was rolled back",
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path} into database {target} on {conn.where}. If the dump is "
                "older than this code, run `python manage.py migrate` next."
            )
        )
        self.regrant(conn, target, roles)

    def regrant(self, conn, target, roles):
        if not roles:
            self.stdout.write(
                "No role other than the owner had grants before the restore. If the portal "
                "connects as a role of its own, run `python manage.py database_grants ROLE "
                "--apply` now, or every page will fail."
            )
            return
        for role in roles:
            try:
                with conn.connect(target) as db, db.transaction():
                    for statement in grant_statements(role):
                        db.execute(statement)
                    for statement in role_settings_statements(
                        role, settings.DATABASE_ROLE_TIMEOUTS
                    ):
                        db.execute(statement)
            except psycopg.Error as error:
                raise CommandError(
                    f"The restore is done but the grants of {role} could not be given back "
                    f"({first_line(error)}): run `python manage.py database_grants {role} "
                    "--apply` as the owner before the portal serves again."
                ) from None
            self.stdout.write(self.style.SUCCESS(f"Gave {role} its grants back."))

    def confirm(self, path: Path, target: str, conn: Connection) -> None:
        question = f"Replace the contents of database {target} on {conn.where} with {path}?"
        if not sys.stdin.isatty():
            raise CommandError(f"{question} Refusing without --yes when not run interactively.")
        self.stdout.write(f"{question} Type 'yes' to continue: ", ending="")
        self.stdout.flush()
        try:
            answer = sys.stdin.readline()
        except KeyboardInterrupt:
            answer = ""
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled; nothing was changed.")
