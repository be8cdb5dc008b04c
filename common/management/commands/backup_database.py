import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from common.pgtools import Connection, find_tool, run

TIMEOUT = 3600  # seconds


def human_size(size: float) -> str:
    for unit in ("bytes", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


class Command(BaseCommand):
    help = (
        "Dump the configured PostgreSQL database with pg_dump (custom format) into "
        "backups/pikassos-YYYYmmdd-HHMMSS.dump, or --output FILE. The file holds personal "
        "data: it is created readable by its owner only."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", type=Path, help="the dump file to write")

    def handle(self, *args, output=None, **options):
        conn = Connection.from_settings("backup_database")
        pg_dump = find_tool("pg_dump", conn.server_major(conn.dbname))
        if output is None:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.BASE_DIR) / "backups" / f"pikassos-{stamp}.dump"
        output = output.expanduser().absolute()
        output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)

        # Dump into a private partial file and rename it when complete, so a failed or
        # interrupted run never leaves (or overwrites with) a truncated dump.
        partial = output.with_name(f".{output.name}.partial")
        partial.unlink(missing_ok=True)
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            run(
                pg_dump,
                [*conn.args(conn.dbname), "--format=custom", "--file", str(partial)],
                conn,
                TIMEOUT,
                failure=f"Backup of database {conn.dbname} on {conn.where} failed",
            )
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)

        size = human_size(output.stat().st_size)
        self.stdout.write(
            self.style.SUCCESS(f"Backed up database {conn.dbname} to {output} ({size}).")
        )
