from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from common.dbroles import missing_privileges, protected_tables
from guardianship import retention

BATCH = 500


class Command(BaseCommand):
    help = (
        "Anonymise the personal data of requests ended or cancelled more than "
        "GUARDIANSHIP_RETENTION_YEARS ago, keeping the statistics, and delete access-log "
        "rows older than ACCESS_LOG_RETENTION_YEARS. Run it daily or weekly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be done; change nothing."
        )
        parser.add_argument("--years", type=int, default=settings.GUARDIANSHIP_RETENTION_YEARS)
        parser.add_argument("--log-years", type=int, default=settings.ACCESS_LOG_RETENTION_YEARS)

    def handle(self, *args, dry_run, years, log_years, verbosity, **options):
        if years < 1 or log_years < 1:
            raise CommandError("The retention periods must be at least one year.")
        self.check_role()
        plan = retention.plan(years, log_years)
        self.stdout.write(
            f"{len(plan.requests)} closed requests older than {years} years to anonymise; "
            f"{plan.access_log_rows} access-log rows older than {log_years} years to delete."
        )
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was changed."))
            return
        ids = plan.requests
        with tqdm(
            total=len(ids),
            unit="request",
            file=self.stderr,
            disable=verbosity == 0 or len(ids) < BATCH,
        ) as progress:
            for start in range(0, len(ids), BATCH):
                batch = ids[start : start + BATCH]
                retention.anonymise(batch)
                progress.update(len(batch))
        # Rows kept beyond their request for a period of their own (fees' paid claims).
        retention.erase_kept_records()
        deleted = retention.purge_access_log(log_years)
        self.stdout.write(
            self.style.SUCCESS(
                f"Anonymised {len(ids)} requests; deleted {deleted} access-log rows."
            )
        )

    def check_role(self):
        """Retention erases history and deletes old access-log rows, which the
        application's role may not: say so before anything is changed."""
        with connection.cursor() as cursor:
            lacking = missing_privileges(cursor.connection, protected_tables(), "UPDATE, DELETE")
            user = cursor.connection.info.user
        if lacking:
            raise CommandError(
                f"apply_retention must run as the database owner, not as {user}, which may "
                f"not change {lacking[0]} (the access log and history are append-only for "
                "the application): run it with the owner's DATABASE_URL."
            )
