from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import ExpiredSubmission


class Command(BaseCommand):
    help = (
        "Deletes the forms kept after a session ended (accounts.resubmit) that were not "
        "restored within RESUBMIT_HOURS. Run hourly by the worker."
    )

    def handle(self, *args, **options):
        deleted, _ = ExpiredSubmission.objects.filter(expires_at__lte=timezone.now()).delete()
        self.stdout.write(f"{deleted} expired submissions deleted")
