from django.core.management.base import BaseCommand

from guardianship.retention import add_access_log_partitions


class Command(BaseCommand):
    help = (
        "Create the access log's monthly partitions three months ahead (and move any rows "
        "that fell into its default partition into their month). The worker runs it daily; "
        "the migration and apply_retention run it too."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months-ahead", type=int, default=3)

    def handle(self, *args, months_ahead, **options):
        added = add_access_log_partitions(months_ahead)
        self.stdout.write(f"Added {added} monthly partitions to the access log.")
