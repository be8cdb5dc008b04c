"""The access log: who saw or changed a child's data, when and on what basis."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import AppendOnlyModel
from guardianship.enums import AccessAction, AccessBasis, AccessOutcome

CLOCK_SLACK = datetime.timedelta(days=1)


class AccessLogQuerySet(models.QuerySet):
    def about_child(self, child):
        """The rows that name `child` (a list or a page that showed it), and those about
        its whole request that name no child (a refused look, an e-mail about it).

        None can be older than the request (a row is written after what it names exists,
        `at` by the same clock as `created_at`; a day's slack for hosts' clocks), so the
        months before it are pruned from the plan: a child of a year reads 13 partitions
        of the twelve years', not 150 (issue 18)."""
        return self.filter(
            Q(children__contains=[child.pk]) | Q(request_id=child.request_id, children=[]),
            at__gte=child.request.created_at - CLOCK_SLACK,
        )

    def about_request(self, request):
        """The rows about `request` or naming any of its children."""
        ids = list(request.children.values_list("pk", flat=True))
        return self.filter(Q(request=request) | Q(children__overlap=ids))


class AccessLog(AppendOnlyModel):
    """Who saw or changed a child's data, when, and on what basis (client-data act 703/2023).

    One row per page view (or disclosure) and basis, naming the children it showed in
    `children`: a list page of 50 children writes one row, not 50. The table is
    partitioned by month of `at` (migration 0022, PostgreSQL declarative partitioning):
    retention drops whole months older than the period, never younger than a year
    (`guardianship_accesslog_retire()`), and the database refuses UPDATE and DELETE.
    """

    at = models.DateTimeField(_("time (UTC)"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,  # served by the (user, at) index below
    )
    username = models.CharField(_("username"), max_length=150)
    role = models.CharField(_("role"), max_length=40, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AccessOutcome.choices, default=AccessOutcome.ALLOWED
    )
    # The one request the row is about (a request's page, an e-mail about it, a refused
    # look); empty for a list of several requests, whose children say what was shown.
    request = models.ForeignKey(
        "guardianship.GuardianshipRequest",
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_log",
        db_index=False,  # served by the composite index below, as for `user`
    )
    # The ids of the children shown (no foreign key: PostgreSQL has none for array
    # elements; children are anonymised, never deleted, while their log is kept).
    children = ArrayField(
        models.BigIntegerField(), verbose_name=_("children"), default=list, blank=True
    )
    path = models.CharField(_("address"), max_length=300, blank=True)
    basis = models.CharField(_("basis"), max_length=200, blank=True, choices=AccessBasis.choices)
    # Of a disclosure: to whom the data went (an e-mail address, a paying organisation).
    recipient = models.CharField(_("recipient"), max_length=254, blank=True, db_default="")

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [
            GinIndex(fields=["children"], name="accesslog_children_idx"),
            models.Index(fields=["request", "at"], name="accesslog_request_idx"),
            models.Index(fields=["user", "at"], name="accesslog_user_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"
