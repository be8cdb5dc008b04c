"""Guardians' fee claims: a claim per period of an appointed case, with its expenses.

The tables keep the names they had inside `guardianship` (migration 0001 moved the models
without moving a row), so the history of claims and its triggers stay valid.
"""

import uuid as uuid_module
from decimal import Decimal

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel, UUIDModel
from common.retention import ERASED
from common.validators import validate_portal_year
from fees.enums import ClaimStatus, ContactMode
from fees.retention import keep_until
from guardianship.models import short_reference


class FeeClaimQuerySet(models.QuerySet):
    def for_user(self, user):
        """The claims `user` may see: fees.policies.claims_for, chainable."""
        from fees.policies import claims_for  # the policy reads these models

        return claims_for(user, self)


# Personal text of a claim, with what retention writes in its place (common.retention);
# left out of the history so that retention can erase it.
CLAIM_PERSONAL_FIELDS = {"description": "", "return_reason": ERASED}


@pghistory.track(
    # The form key is no part of the claim's history (and keeps its triggers as they are).
    exclude=[*CLAIM_PERSONAL_FIELDS, "idempotency_key"],
    meta={"db_table": "guardianship_feeclaimevent"},
)
class FeeClaim(UUIDModel, TimeStampedModel):
    """A guardian's fee claim for an appointed case, approved by the coordinator and
    then paid by the organisation responsible for the child (`request.payer`)."""

    assignment = models.ForeignKey(
        "guardianship.Assignment",
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    fee = models.DecimalField(_("fee (€)"), max_digits=10, decimal_places=2)
    description = models.TextField(_("work done"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    # The payment, marked by the payer's official (fees.services.mark_paid): the day the
    # money was paid and the payer's own reference for it (their payment batch or voucher).
    paid_at = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=50, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked paid by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The key of the form that made the claim: a second post of it makes no second claim.
    idempotency_key = models.UUIDField(_("form key"), unique=True, null=True, editable=False)

    objects = FeeClaimQuerySet.as_manager()

    class Meta:
        db_table = "guardianship_feeclaim"
        verbose_name = _("fee claim")
        verbose_name_plural = _("fee claims")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="claim_status_idx"),
            models.Index(fields=["assignment", "period_start"], name="claim_assignment_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="claim_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(fee__gte=0), name="claim_amounts_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.RETURNED) | ~Q(return_reason=""),
                name="claim_return_has_reason",
            ),
            # A paid claim has its payment date and the payer's reference; any other has
            # neither.
            models.CheckConstraint(
                condition=(
                    Q(status=ClaimStatus.PAID, paid_at__isnull=False) & ~Q(payment_reference="")
                )
                | (
                    ~Q(status=ClaimStatus.PAID)
                    & Q(paid_at__isnull=True, payment_reference="", paid_by__isnull=True)
                ),
                name="claim_paid_has_date_and_reference",
            ),
            models.CheckConstraint(
                condition=Q(paid_at__isnull=True)
                | (Q(paid_at__year__gte=2000) & Q(paid_at__year__lte=2100)),
                name="claim_paid_in_portal_years",
            ),
        ]
        triggers = [
            # Only an approved claim becomes paid, and a paid one stays as it was paid:
            # its status, payment and amounts (retention may still erase its text).
            pgtrigger.Protect(
                name="claim_paid_once",
                operation=pgtrigger.Update,
                condition=pgtrigger.Condition(
                    f"((NEW.status = '{ClaimStatus.PAID}'"
                    f" AND OLD.status NOT IN ('{ClaimStatus.APPROVED}', '{ClaimStatus.PAID}'))"
                    f" OR (OLD.status = '{ClaimStatus.PAID}' AND"
                    " (OLD.status, OLD.paid_at, OLD.payment_reference, OLD.paid_by_id,"
                    " OLD.hours, OLD.fee, OLD.period_start, OLD.period_end, OLD.assignment_id)"
                    " IS DISTINCT FROM"
                    " (NEW.status, NEW.paid_at, NEW.payment_reference, NEW.paid_by_id,"
                    " NEW.hours, NEW.fee, NEW.period_start, NEW.period_end, NEW.assignment_id)))"
                ),
            ),
        ]

    def __str__(self):
        return str(_("Claim %(ref)s") % {"ref": self.reference})

    def get_absolute_url(self):
        return reverse("fees:claim_detail", kwargs={"uuid": self.uuid})

    @property
    def reference(self):
        return short_reference(self.uuid)

    @property
    def expenses_total(self):
        return sum((e.amount for e in self.expenses.all()), Decimal("0.00"))

    @property
    def total(self):
        return self.fee + self.expenses_total

    @property
    def keep_until(self):
        """The last day the claim and its receipts must be kept as accounting vouchers, or
        None while it is not paid (fees.retention)."""
        return keep_until(self.paid_at) if self.status == ClaimStatus.PAID else None


def receipt_path(expense, filename):
    # A random name: the uploader's file name may carry personal data.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"receipts/{timezone.now():%Y/%m}/{uuid_module.uuid4()}.{suffix}"


class ClaimExpense(UUIDModel):
    claim = models.ForeignKey(
        FeeClaim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="expenses"
    )
    description = models.CharField(_("expense"), max_length=200)
    amount = models.DecimalField(_("amount (€)"), max_digits=10, decimal_places=2)
    receipt = models.FileField(_("receipt"), upload_to=receipt_path, blank=True)

    class Meta:
        db_table = "guardianship_claimexpense"
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="expense_not_negative")
        ]

    def __str__(self):
        return f"{self.description} {self.amount} €"


# What the guardian writes of a contact may tell of the child; retention erases it.
CONTACT_PERSONAL_FIELDS = {"note": ""}


@pghistory.track(exclude=list(CONTACT_PERSONAL_FIELDS))
class ContactEntry(UUIDModel, TimeStampedModel):
    """One meeting, call or other piece of work the guardian did on a case, recorded as
    it happens (as CASA volunteers log their contacts); a fee claim for a period is
    drafted from the entries not yet claimed, and the claim then holds them."""

    assignment = models.ForeignKey(
        "guardianship.Assignment",
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="contact_entries",
    )
    date = models.DateField(_("date"), validators=[validate_portal_year])
    mode = models.CharField(_("kind of contact"), max_length=10, choices=ContactMode.choices)
    minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), help_text=_("Including the travel time.")
    )
    kilometres = models.DecimalField(
        _("kilometres driven"), max_digits=6, decimal_places=1, default=Decimal("0.0")
    )
    note = models.TextField(
        _("what was done"),
        blank=True,
        help_text=_("A few words for the claim; Pikassos sees them when it checks the claim."),
    )
    claim = models.ForeignKey(
        FeeClaim,
        verbose_name=_("claim"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_entries",
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["assignment", "date"], name="contact_assignment_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=24 * 60),
                name="contact_minutes_within_a_day",
            ),
            models.CheckConstraint(
                condition=Q(kilometres__gte=0), name="contact_kilometres_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(date__year__gte=2000) & Q(date__year__lte=2100),
                name="contact_date_in_portal_years",
            ),
        ]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.get_mode_display()}"

    @property
    def hours(self):
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"))
