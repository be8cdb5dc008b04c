"""Enrolling a second factor is bound to the person (issue 13, part 7).

A password alone enrols nothing: an authenticator app is enrolled only through a one-time
invitation link, which an admin's reset (or the admin creating the user) e-mails to the
user, or `manage.py invite_2fa` prints for the first administrator. The link works once,
for the user it was made for, who must be signed in with their password, and only until
it expires (TWO_FACTOR_INVITATION_HOURS).

Only the SHA-256 of the link's token is stored, and the token is never logged: the
security log names the user and who invited them, nothing more.
"""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from accounts.middleware import needs_2fa, user_has_device
from accounts.models import EnrolmentInvitation

log = logging.getLogger("pikassos.security")

BACKUP_CODES = 10
TOKEN_BYTES = 32  # secrets.token_urlsafe: 43 characters
# A longer "token" from a link cannot be one of ours: it is not even looked up.
MAX_TOKEN_LENGTH = 100


class InvitationRefused(Exception):
    """The link cannot enrol this user. `reason` is for the log and the page: "unknown"
    (no such link, or it belongs to somebody else), "used" or "expired"."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def enrolment_link(token):
    path = reverse("two_factor_invitation", kwargs={"token": token})
    return settings.PORTAL_URL.rstrip("/") + path


@transaction.atomic
def create_invitation(user, created_by=None):
    """A new invitation for `user` and its token (returned once, never stored). An earlier
    link of theirs that is still open stops working: only the newest one counts."""
    now = timezone.now()
    EnrolmentInvitation.objects.open(now).filter(user=user).update(expires_at=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = EnrolmentInvitation.objects.create(
        user=user,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + timedelta(hours=settings.TWO_FACTOR_INVITATION_HOURS),
        created_by=created_by,
    )
    log.info(
        "2fa-invitation user=%s by=%s expires=%s",
        user.get_username(),
        created_by.get_username() if created_by else "-",
        invitation.expires_at.isoformat(timespec="minutes"),
    )
    return invitation, token


def invitation_email(invitation, token):
    """The e-mail's subject and body, in the portal's language: the link and how long it
    works, nothing else about the person (not even their name)."""
    with translation.override(settings.LANGUAGE_CODE):
        expires = formats.date_format(
            timezone.localtime(invitation.expires_at), "SHORT_DATETIME_FORMAT"
        )
        subject = _("Enrol your second factor in the Pikassos portal")
        lines = [
            _(
                "You are invited to enrol an authenticator app as the second factor of your "
                "sign-in to the Pikassos portal."
            ),
            _(
                "Sign in with your username and password, then open this link. It works once, "
                "only for you, and until %(expires)s:"
            )
            % {"expires": expires},
            enrolment_link(token),
            _(
                "If you did not expect this message, do not open the link and tell the "
                "portal's administrator."
            ),
        ]
    return subject, "\n\n".join(lines)


@transaction.atomic
def send_invitation(user, created_by=None):
    """Create an invitation and queue the e-mail with its link in the outbox, in the same
    transaction (a rolled-back invitation sends nothing). The user must have an e-mail
    address."""
    if not user.email:
        raise ValueError(f"{user.get_username()} has no e-mail address")
    invitation, token = create_invitation(user, created_by)
    subject, body = invitation_email(invitation, token)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return invitation


def remove_devices(user, keep=None):
    """Delete every second-factor device of `user` (authenticators and backup codes, also
    unconfirmed ones) but `keep`; the number deleted."""
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        if keep is None or device.persistent_id != keep.persistent_id:
            device.delete()
            removed += 1
    return removed


def reset_devices(user, created_by=None):
    """Delete all the user's devices, logged: until they enrol again (with an invitation)
    they cannot sign in where a second factor is required. The number deleted."""
    removed = remove_devices(user)
    log.warning(
        "2fa-reset user=%s by=%s devices=%d",
        user.get_username(),
        created_by.get_username() if created_by else "-",
        removed,
    )
    return removed


@transaction.atomic
def reset_second_factor(user, created_by=None):
    """An admin's reset: the user's devices go, and a new invitation is e-mailed."""
    reset_devices(user, created_by)
    return send_invitation(user, created_by)


def should_invite_on_save(user):
    """The first enrolment: a user who needs a second factor and has none gets an
    invitation when an admin saves them for the first time with a role that needs one
    (the admin's add form has no roles and no address yet, so this is the save after)."""
    return (
        user.is_active
        and needs_2fa(user)
        and not user_has_device(user)
        and not user.enrolment_invitations.exists()
    )


def check_invitation(user, token, *, lock=False):
    """The open invitation of `user` that `token` names, or InvitationRefused. With
    `lock`, the row stays locked (SELECT ... FOR UPDATE) until the transaction ends, so
    two submits at once cannot both use it."""
    invitation = None
    if token and len(token) <= MAX_TOKEN_LENGTH:
        invitations = EnrolmentInvitation.objects.filter(token_hash=hash_token(token))
        if lock:
            invitations = invitations.select_for_update(of=("self",))
        invitation = invitations.first()
    if invitation is None or invitation.user_id != user.pk:
        reason = "unknown" if invitation is None else "other-user"
        log.warning("2fa-invitation-refused user=%s reason=%s", user.get_username(), reason)
        raise InvitationRefused("unknown")
    if invitation.used_at is not None:
        reason = "used"
    elif invitation.expires_at <= timezone.now():
        reason = "expired"
    else:
        return invitation
    log.warning("2fa-invitation-refused user=%s reason=%s", user.get_username(), reason)
    raise InvitationRefused(reason)


@transaction.atomic
def complete_enrolment(invitation, device):
    """Confirm the authenticator `device` the invitation's user has just proved with a code:
    the invitation is used up, every other device of the user goes (a re-enrolment
    replaces the lost phone) and ten new backup codes are made and returned.
    The caller holds the invitation's row lock (check_invitation(lock=True))."""
    user = invitation.user
    now = timezone.now()
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    EnrolmentInvitation.objects.open(now).filter(user=user).update(expires_at=now)
    removed = remove_devices(user, keep=device)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    static = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    log.info("2fa-enrolled user=%s replaced-devices=%d", user.get_username(), removed)
    return codes
