from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts import services


class Command(BaseCommand):
    help = (
        "Make a one-time link with which USERNAME enrols an authenticator app (the second "
        "factor), valid for TWO_FACTOR_INVITATION_HOURS. For the first administrator, who "
        "has nobody to reset their second factor in the admin: it prints the link. With "
        "--email it mails the link to the user instead. Any earlier open link of theirs "
        "stops working."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--email",
            action="store_true",
            help="send the link to the user's e-mail address instead of printing it",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="also delete the user's authenticators and backup codes now (a lost phone)",
        )

    @transaction.atomic
    def handle(self, *args, username, email=False, reset=False, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"{username} is not active: activate them first.")
        if email and not user.email:
            raise CommandError(f"{username} has no e-mail address: leave out --email.")
        if reset:
            removed = services.reset_devices(user)
            self.stdout.write(f"Deleted {removed} second-factor devices of {username}.")
        if email:
            invitation = services.send_invitation(user)
            self.stdout.write(
                self.style.SUCCESS(
                    f"An enrolment link for {username} goes to their e-mail address; it "
                    f"works once, until {_local(invitation.expires_at)}."
                )
            )
            return
        invitation, token = services.create_invitation(user)
        self.stdout.write(
            f"Enrolment link for {username} (works once, until {_local(invitation.expires_at)}; "
            "sign in as them first, then open it):"
        )
        self.stdout.write(services.enrolment_link(token))


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
