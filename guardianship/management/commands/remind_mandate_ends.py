from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from guardianship import notifications
from guardianship.enums import AssignmentStatus, State
from guardianship.models import Assignment, GuardianshipRequest


class Command(BaseCommand):
    help = (
        "E-mail the social workers, the coordinators and the guardian of each appointed "
        "request whose mandate ends within GUARDIANSHIP_MANDATE_REMINDER_DAYS days, once per "
        "end date (issue 14: the mandate ends with the order's end date or when the child "
        "turns 18). The worker runs it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.GUARDIANSHIP_MANDATE_REMINDER_DAYS,
            help="Remind this many days ahead (default: %(default)s).",
        )

    def handle(self, *args, days, **options):
        today = timezone.localdate()
        serving = Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(status=AssignmentStatus.ACTIVE).select_related(
                "guardian"
            ),
            to_attr="serving",
        )
        reminded = 0
        # One transaction: the reminders' e-mails, their disclosures and the marks that
        # they were sent commit together; a second run (or host) skips the locked rows.
        with transaction.atomic():
            due = (
                GuardianshipRequest.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    state=State.APPOINTED,
                    mandate_ends_on__gte=today,
                    mandate_ends_on__lte=today + timezone.timedelta(days=days),
                )
                .filter(
                    Q(mandate_reminded_for__isnull=True)
                    | ~Q(mandate_reminded_for=F("mandate_ends_on"))
                )
                .prefetch_related(serving)
                .order_by("mandate_ends_on")
            )
            for request in due:
                assignment = request.serving[0] if request.serving else None
                notifications.mandate_ending(request, assignment)
                request.mandate_reminded_for = request.mandate_ends_on
                request.save(update_fields=["mandate_reminded_for"])
                reminded += 1
        self.stdout.write(self.style.SUCCESS(f"Mandate-end reminders queued: {reminded}."))
