import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql

from common.pgtools import require_direct_connection


class Command(BaseCommand):
    help = "Check that the configured PostgreSQL answers and create the database if it is missing."
    requires_system_checks = []

    def handle(self, *args, **options):
        require_direct_connection("ensure_database")
        db = settings.DATABASES["default"]
        params = {
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "connect_timeout": 5,
            "autocommit": True,
        }
        name = db["NAME"]
        where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
        try:
            with psycopg.connect(dbname="postgres", **params) as conn:
                exists = conn.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                ).fetchone()
                if not exists:
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                    self.stdout.write(self.style.SUCCESS(f"Created database {name}."))
        except psycopg.OperationalError as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise CommandError(
                f"Cannot reach PostgreSQL at {where} ({reason}). Start it, or set DATABASE_URL="
                "postgres://USER:PASSWORD@HOST:PORT/pikassos; unset DATABASE_URL to use the "
                "embedded server."
            ) from None
        except psycopg.errors.InsufficientPrivilege:
            raise CommandError(
                f"Database {name} does not exist on {where} and this user may not create it: "
                "create it, or point DATABASE_URL at an existing one."
            ) from None
