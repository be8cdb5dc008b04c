from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guardianship.access import log_disclosure
from guardianship.enums import UNMATCHED_STATES, AccessBasis
from guardianship.models import GuardianshipRequest
from guardianship.notifications import coordinator_emails


class Command(BaseCommand):
    help = (
        "Email the coordinators the requests still without a consenting guardian after "
        "GUARDIANSHIP_UNMATCHED_DAYS days. Run weekly (e.g. from cron on Monday morning)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.GUARDIANSHIP_UNMATCHED_DAYS,
            help="Flag requests waiting longer than this (default: %(default)s).",
        )

    def handle(self, *args, days, **options):
        limit = timezone.now() - timezone.timedelta(days=days)
        waiting = list(
            GuardianshipRequest.objects.filter(state__in=UNMATCHED_STATES, submitted_at__lt=limit)
            .select_related("organisation")
            .order_by("submitted_at")
        )
        recipients = coordinator_emails()
        if not waiting or not recipients:
            self.stdout.write(f"No digest sent: {len(waiting)} waiting requests.")
            return
        base = settings.PORTAL_URL.rstrip("/")
        now = timezone.now()
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Weekly digest: %(count)s requests waiting for a guardian") % {
                "count": len(waiting)
            }
            lines = [
                _("These requests have waited over %(days)s days for a consenting guardian:")
                % {"days": days},
                "",
            ]
            # Only the reference, organisation, state and age: never a child's name or code.
            for r in waiting:
                lines.append(
                    f"- {r.reference} · {r.organisation.display_name} · {r.get_state_display()} · "
                    + _("%(days)s days") % {"days": r.days_waiting(now)}
                    + f"\n  {base}{r.get_absolute_url()}"
                )
            lines += ["", base + reverse("guardianship:request_list")]
        # Queued in the outbox with its disclosure, in one transaction: each request named
        # is disclosed to each coordinator, by no user: the "system".
        with transaction.atomic():
            send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, recipients)
            log_disclosure(waiting, recipients, basis=AccessBasis.COORDINATOR)
        self.stdout.write(
            self.style.SUCCESS(
                f"Digest of {len(waiting)} requests queued for {len(recipients)} recipients."
            )
        )
