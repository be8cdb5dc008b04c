"""The access log: who saw or changed a child's data, when and on what basis."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import AppendOnlyModel
from guardianship.enums import AccessAction, AccessBasis, AccessOutcome


class AccessLog(AppendOnlyModel):
    """Who saw or changed a child's data, when, and on what basis (client-data act 703/2023).

    Append-only: a database trigger (migration 0002) refuses UPDATE and DELETE.
    """

    at = models.DateTimeField(_("time (UTC)"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        # The (user, at) index below serves the foreign key too: every list page writes
        # dozens of rows, and each index is maintained on every one of them.
        db_index=False,
    )
    username = models.CharField(_("username"), max_length=150)
    role = models.CharField(_("role"), max_length=40, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AccessOutcome.choices, default=AccessOutcome.ALLOWED
    )
    request = models.ForeignKey(
        "guardianship.GuardianshipRequest",
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_log",
        db_index=False,  # served by the composite index below, as for `user`
    )
    child = models.ForeignKey(
        "guardianship.Child",
        verbose_name=_("child"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_log",
        db_index=False,  # served by the composite index below, as for `user`
    )
    path = models.CharField(_("address"), max_length=300, blank=True)
    basis = models.CharField(_("basis"), max_length=200, blank=True, choices=AccessBasis.choices)
    # Of a disclosure: to whom the data went (an e-mail address, a paying organisation).
    recipient = models.CharField(_("recipient"), max_length=254, blank=True, db_default="")

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["child", "at"], name="accesslog_child_idx"),
            models.Index(fields=["request", "at"], name="accesslog_request_idx"),
            models.Index(fields=["user", "at"], name="accesslog_user_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"
