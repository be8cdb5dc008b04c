import secrets
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from accounts.roles import Role
from demo import access_log_volume, volume
from demo.scenario import create_demo_requests
from municipalities.models import Organisation, Unit

COUNTY = "satakunnan-hyvinvointialue"
# (username, first name, last name, role, organisation slug, unit, superuser). The social
# workers are the county's, in two teams; the team leader leads child protection, whose
# subtree holds both teams (issue 13).
DEMO_ACCOUNTS = [
    ("admin", "Ylläpitäjä", "Demo", None, None, None, True),
    ("coordinator", "Kaisa", "Koordinaattori", Role.COORDINATOR, "pikassos", None, False),
    ("planner", "Paavo", "Suunnittelija", Role.PLANNER, "pikassos", None, False),
    (
        "sw-pori",
        "Sanna",
        "Sosiaalityöntekijä",
        Role.SOCIAL_WORKER,
        COUNTY,
        "Lastensuojelu, Pori",
        False,
    ),
    (
        "sw-rauma",
        "Rasmus",
        "Sosiaalityöntekijä",
        Role.SOCIAL_WORKER,
        COUNTY,
        "Lastensuojelu, Rauma",
        False,
    ),
    ("lead-county", "Leena", "Johtava", Role.TEAM_LEADER, COUNTY, "Lastensuojelu", False),
    ("guardian", "Eeva", "Edunvalvoja", Role.GUARDIAN, None, None, False),
]


class Command(BaseCommand):
    help = "Create the demo accounts (and demo data). Safe to run again: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (never in production)."
        )
        parser.add_argument(
            "--requests",
            type=int,
            default=0,
            help="Also create this many synthetic requests (for benchmarks), with their steps.",
        )
        parser.add_argument(
            "--guardians", type=int, default=0, help="Also create this many synthetic guardians."
        )
        parser.add_argument(
            "--access-log-years",
            type=float,
            default=0,
            help="Also fill the access log for this many years at the modelled region's rate "
            "(3 000 list views of 50 children and 2 000 case views a day), in SQL.",
        )

    def handle(self, *args, force=False, requests=0, guardians=0, access_log_years=0, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with known passwords and refuses to run when DEBUG "
                "is off. Use --force only on a test server."
            )
        password = settings.DEMO_PASSWORD
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        created = self.create_accounts(password)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created demo accounts: {', '.join(created)}."))
            if generated:
                self.stdout.write(
                    self.style.WARNING(
                        "Their password (generated; set DEMO_PASSWORD and run again to choose "
                        f"one): {password}"
                    )
                )
        else:
            self.stdout.write(
                "Demo accounts already exist; their passwords were not changed "
                "(set DEMO_PASSWORD and run again to reset them)."
            )
        if not generated:
            self.stdout.write(f"Demo password: DEMO_PASSWORD ({len(password)} characters).")
        users = {
            u.username: u
            for u in get_user_model().objects.filter(
                username__in=["coordinator", "sw-pori", "sw-rauma"]
            )
        }
        made = create_demo_requests(
            users["coordinator"], {"pori": users["sw-pori"], "rauma": users["sw-rauma"]}
        )
        if made:
            self.stdout.write(self.style.SUCCESS(f"Created {made} demo guardianship requests."))
        if requests or guardians:
            self.seed_volume(requests, guardians)
        if access_log_years:
            started = time.monotonic()
            written = access_log_volume.seed(access_log_years)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Wrote {written} access-log rows for {access_log_years:g} years in "
                    f"{time.monotonic() - started:.0f} s."
                )
            )

    def seed_volume(self, requests, guardians):
        started = time.monotonic()

        def progress(total, desc):
            return tqdm(total=total, desc=desc, unit="rows", file=self.stderr, leave=False)

        counts = volume.seed(requests, guardians, progress_factory=progress)
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Created {summary} in {time.monotonic() - started:.0f} s.")
        )

    @transaction.atomic
    def create_accounts(self, password):
        User = get_user_model()
        created_names = []
        for username, first, last, role, org_slug, unit, superuser in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.invalid",
                    "is_staff": superuser,
                    "is_superuser": superuser,
                },
            )
            if created or settings.DEMO_PASSWORD:
                user.set_password(password)
                user.save(update_fields=["password"])
            if created:
                created_names.append(username)
            if role:
                user.groups.add(Group.objects.get(name=role))
            if org_slug:
                user.organisations.add(Organisation.objects.get(slug=org_slug))
            if unit:
                user.units.add(Unit.objects.get(name=unit, organisation__slug=org_slug))
        return created_names
