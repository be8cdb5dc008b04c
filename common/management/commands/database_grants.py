import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction

from common.dbroles import grant_statements, role_problem, role_settings_statements


class Command(BaseCommand):
    help = (
        "Print (or with --apply, run) the grants of the application's database role: all "
        "it needs, but no UPDATE, DELETE or TRUNCATE on the access log and history tables, "
        "and on pghistory's context table no DELETE, TRUNCATE or UPDATE beyond its upsert; "
        "and the role's bounded waits (DATABASE_ROLE_TIMEOUTS). Run as the owner after "
        "every migration and after a restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The role the portal connects as, e.g. pikassos_app.")
        parser.add_argument("--apply", action="store_true", help="Run the statements now.")

    def handle(self, *args, role, apply, **options):
        grants = grant_statements(role)
        waits = role_settings_statements(role, settings.DATABASE_ROLE_TIMEOUTS)
        with connection.cursor() as cursor:
            for statement in grants + waits:
                self.stdout.write(statement.as_string(cursor.connection) + ";")
            problem = role_problem(cursor.connection, role)
        if not apply:
            return
        if problem:
            raise CommandError(problem)
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in grants:
                cursor.execute(statement)
        self.stdout.write(self.style.SUCCESS(f"Applied {len(grants)} grants to {role}."))
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in waits:
                    cursor.execute(statement)
        except DatabaseError as error:
            if not isinstance(error.__cause__, psycopg.errors.InsufficientPrivilege):
                raise
            self.stderr.write(
                self.style.WARNING(
                    f"The bounded waits of {role} need a superuser or CREATEROLE: ask one to "
                    "run the ALTER ROLE statements printed above."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Set the bounded waits of {role}."))
