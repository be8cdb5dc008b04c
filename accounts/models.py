from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as AuthUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """A bulk update (bulk_update too) sends no signal: the users it touches are
        dropped from the shared auth cache here, so a deactivation by update() is seen at
        once on every host as well (accounts.authcache)."""
        from accounts import authcache

        if authcache.enabled():
            authcache.invalidate_users(self.values_list("pk", flat=True))
        return super().update(**kwargs)

    update.alters_data = True


class UserManager(AuthUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who logs in. Roles are groups; a social worker belongs to organisations."""

    title = models.CharField(_("title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    organisations = models.ManyToManyField(
        "municipalities.Organisation",
        verbose_name=_("organisations"),
        related_name="users",
        blank=True,
        help_text=_("The organisations this person works for (social workers)."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """Role names from the user's groups, read once per request (with the user
        itself when accounts.backends.ModelBackend loaded it)."""
        names = self.__dict__.get("role_names")
        if names is None:
            names = self.groups.values_list("name", flat=True)
        return frozenset(name for name in names if name)

    @cached_property
    def organisation_ids(self) -> frozenset[int]:
        """The user's organisations, read once per request. Scoping by these ids, not a
        subquery, lets the planner read a social worker's queue in index order. With the
        user itself when accounts.backends.ModelBackend loaded it."""
        ids = self.__dict__.get("organisation_id_list")
        if ids is None:
            ids = self.organisations.values_list("pk", flat=True)
        return frozenset(ids)

    @cached_property
    def unit_ids(self) -> frozenset[int]:
        """The units (municipalities.Unit) the user belongs to, read once per request:
        with the user itself when accounts.backends.ModelBackend loaded it."""
        ids = self.__dict__.get("unit_id_list")
        if ids is None:
            ids = self.units.values_list("pk", flat=True)
        return frozenset(ids)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def get_session_auth_hash(self):
        # A user from the shared auth cache carries the hash, not the password hash.
        cached = self.__dict__.get("_cached_session_auth_hash")
        return cached if cached is not None else super().get_session_auth_hash()

    def save(self, *args, **kwargs):
        # A copy from the auth cache may be older than the row: saving it could undo a
        # deactivation or a new password. Code that changes the signed-in user loads it
        # afresh (accounts.views.PasswordChangeView).
        if self.__dict__.get("_from_auth_cache"):
            raise RuntimeError("A user from the auth cache is read-only; load it afresh.")
        super().save(*args, **kwargs)

    save.alters_data = True


class EnrolmentInvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        """Invitations that can still be used: not used and not expired."""
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


class EnrolmentInvitation(models.Model):
    """A one-time link that lets one person enrol an authenticator app (accounts.services).

    Only the SHA-256 of the link's token is stored: the token itself is in the e-mail (or
    printed by `manage.py invite_2fa`) and nowhere else. Enrolling needs both the user's
    password and this link, so the second factor is bound to the person, not only to
    whoever knows the password."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="enrolment_invitations",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when made by the invite_2fa command."),
    )

    objects = EnrolmentInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment invitation")
        verbose_name_plural = _("enrolment invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"

    def is_open(self, now=None):
        return self.used_at is None and self.expires_at > (now or timezone.now())


class ExpiredSubmission(models.Model):
    """A form sent after its sender's session had ended, kept to be restored after they
    log in again (issue 16, part 1; accounts.resubmit).

    What was typed may hold a child's personal data: it is kept encrypted with a key
    that only the sender's browser holds (in a signed cookie, with the token whose hash
    finds the row), for RESUBMIT_HOURS at most, and deleted when restored or expired
    (`manage.py purge_expired_submissions`, on the worker's schedule). Files are not kept.
    """

    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    path = models.CharField(_("page"), max_length=300)
    data = models.BinaryField(_("encrypted form data"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("expired submission")
        verbose_name_plural = _("expired submissions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="expired_submission_expires_later",
            ),
        ]

    def __str__(self):
        return self.path
