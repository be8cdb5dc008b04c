from django.core.management.base import BaseCommand
from django.db import connection, transaction

from common.dbroles import grant_statements


class Command(BaseCommand):
    help = (
        "Print (or with --apply, run) the grants of the application's database role: all "
        "it needs, but no UPDATE, DELETE or TRUNCATE on the access log and history tables, "
        "and on pghistory's context table no DELETE, TRUNCATE or UPDATE beyond its upsert. "
        "Run as the owner after every migration."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The role the portal connects as, e.g. pikassos_app.")
        parser.add_argument("--apply", action="store_true", help="Run the statements now.")

    def handle(self, *args, role, apply, **options):
        statements = grant_statements(role)
        with connection.cursor() as cursor:
            for statement in statements:
                self.stdout.write(statement.as_string(cursor.connection) + ";")
        if apply:
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
            self.stdout.write(self.style.SUCCESS(f"Applied {len(statements)} statements."))
