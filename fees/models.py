"""Guardians' fee claims: a claim per period of an appointed case, with its expenses.

The tables keep the names they had inside `guardianship` (migration 0001 moved the models
without moving a row), so the history of claims and its triggers stay valid.
"""

import uuid as uuid_module
from decimal import Decimal

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import BigIntegerRangeField, DateRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel, UUIDModel
from common.retention import ERASED
from common.validators import validate_portal_year
from fees.enums import ClaimStatus, ContactMode, PayeeKind
from fees.retention import keep_until
from fees.validators import format_iban, mask_iban, validate_business_id, validate_iban
from guardianship.models import short_reference


def same(field):
    """`field` as the range [field, field + 1): two rows overlap in it when they have the
    same value. An exclusion constraint needs no btree_gist for it (the embedded
    PostgreSQL of a fresh clone lacks that extension); a range has a GiST operator class."""
    return Func(
        F(field),
        F(field) + 1,
        Value("[)"),
        function="int8range",
        output_field=BigIntegerRangeField(),
    )


def days(start, end):
    """The days from `start` to `end`, both included; an empty `end` is open-ended."""
    return Func(F(start), F(end), Value("[]"), function="daterange", output_field=DateRangeField())


class FeeRateQuerySet(models.QuerySet):
    def for_assignment(self, assignment):
        """The rates of the case's payer on the request's legal tracks, the tracks in their
        order (the first one's payer pays: guardianship.models.tracks.payer_of)."""
        request = assignment.request
        return self.filter(payer_id=request.payer_id, track__requests=request).order_by(
            "track__order", "track_id", "valid_from"
        )

    def overlapping(self, start, end):
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=start), valid_from__lte=end
        )


class FeeRate(models.Model):
    """The fee scale as data (issue 15, part 2): what a payer pays a guardian on a legal
    track from one date to another, hours × the hourly fee plus kilometres × the allowance.

    Reference data, loaded by the migration `fees 0007_fee_rates_reference` with its
    sources and corrected by a coordinator in the admin, never in code. Two rates of one
    track and payer never overlap in time (a database exclusion constraint); a rate that
    claims use cannot be deleted (PROTECT), only ended by its `valid_until`.
    """

    track = models.ForeignKey(
        "guardianship.LegalTrack",
        verbose_name=_("legal track"),
        on_delete=models.PROTECT,
        related_name="fee_rates",
    )
    payer = models.ForeignKey(
        "municipalities.Organisation",
        verbose_name=_("who pays the fee"),
        on_delete=models.PROTECT,
        related_name="fee_rates",
    )
    valid_from = models.DateField(_("valid from"), validators=[validate_portal_year])
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        validators=[validate_portal_year],
        help_text=_("The last day the rate applies; empty while it is in force."),
    )
    hourly_fee = models.DecimalField(
        _("hourly fee (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Empty until the payer's decision is known: claims are then not checked "
            "against the scale."
        ),
    )
    kilometre_allowance = models.DecimalField(
        _("kilometre allowance (€/km)"), max_digits=5, decimal_places=2, default=Decimal("0.00")
    )
    allowed_expenses = models.TextField(
        _("other expenses reimbursed"),
        blank=True,
        help_text=_("Which other expenses the payer reimburses against a receipt."),
    )
    source = models.TextField(
        _("source"), blank=True, help_text=_("The decision the rate comes from.")
    )

    objects = FeeRateQuerySet.as_manager()

    class Meta:
        verbose_name = _("fee rate")
        verbose_name_plural = _("fee rates")
        ordering = ["track__order", "payer__name", "-valid_from"]
        constraints = [
            ExclusionConstraint(
                name="fee_rate_periods_do_not_overlap",
                expressions=[
                    (same("track"), RangeOperators.OVERLAPS),
                    (same("payer"), RangeOperators.OVERLAPS),
                    (days("valid_from", "valid_until"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_(
                    "Another rate of this track and payer is in force on some of these days. "
                    "End it the day before this one begins."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="fee_rate_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=(Q(hourly_fee__isnull=True) | Q(hourly_fee__gte=0))
                & Q(kilometre_allowance__gte=0),
                name="fee_rate_not_negative",
            ),
        ]

    def __str__(self):
        until = f"{self.valid_until:%d.%m.%Y}" if self.valid_until else ""
        return f"{self.track} – {self.payer} {self.valid_from:%d.%m.%Y}–{until}"

    def covers(self, day):
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class FeeClaimQuerySet(models.QuerySet):
    def for_user(self, user):
        """The claims `user` may see: fees.policies.claims_for, chainable."""
        from fees.policies import claims_for  # the policy reads these models

        return claims_for(user, self)


# Personal text of a claim, with what retention writes in its place (common.retention);
# left out of the history so that retention can erase it.
CLAIM_PERSONAL_FIELDS = {"description": "", "return_reason": ERASED, "fee_reason": ERASED}
# The payee as the claim was sent (fees.Payee, copied by the service): accounting data the
# payer pays by, so later edits of the profile never rewrite a sent claim. Kept out of the
# history (an IBAN is personal data the history could never erase).
CLAIM_PAYEE_FIELDS = [
    "payee_kind",
    "payee_name",
    "payee_iban",
    "payee_business_id",
    "payee_vat_registered",
    "payee_tax_note",
]


@pghistory.track(
    # The form key is no part of the claim's history (and keeps its triggers as they are).
    exclude=[*CLAIM_PERSONAL_FIELDS, *CLAIM_PAYEE_FIELDS, "idempotency_key"],
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
    kilometres = models.DecimalField(
        _("kilometres driven"), max_digits=7, decimal_places=1, default=Decimal("0.0")
    )
    fee = models.DecimalField(_("fee (€)"), max_digits=10, decimal_places=2)
    # The fee scale's answer when the claim was sent (fees.scale): the rate of the period
    # and hours × its hourly fee + kilometres × its allowance. Empty when no rate with an
    # hourly fee covers the period. A claimed fee different from it needs a reason.
    fee_rate = models.ForeignKey(
        FeeRate,
        verbose_name=_("fee rate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
    )
    computed_fee = models.DecimalField(
        _("fee by the scale (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_reason = models.TextField(_("why the fee differs from the scale"), blank=True)
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
    # The payee when the claim was sent (CLAIM_PAYEE_FIELDS); empty on claims sent before.
    payee_kind = models.CharField(
        _("payee is"), max_length=10, choices=PayeeKind.choices, blank=True
    )
    payee_name = models.CharField(_("payee"), max_length=200, blank=True)
    payee_iban = models.CharField(_("account (IBAN)"), max_length=34, blank=True)
    payee_business_id = models.CharField(_("business ID"), max_length=9, blank=True)
    payee_vat_registered = models.BooleanField(_("VAT-registered"), null=True, blank=True)
    payee_tax_note = models.TextField(_("tax card"), blank=True)

    objects = FeeClaimQuerySet.as_manager()

    class Meta:
        db_table = "guardianship_feeclaim"
        verbose_name = _("fee claim")
        verbose_name_plural = _("fee claims")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="claim_status_idx"),
            models.Index(fields=["assignment", "period_start"], name="claim_assignment_idx"),
            # The claims list, newest first, walks this backwards and stops at a page;
            # without it the payer's list joined every request the county pays (0.5 s).
            models.Index(fields=["submitted_at", "id"], name="claim_recent_idx"),
            # The payer's page walks the approved claims oldest first and stops at a batch
            # (fees.views.claim_payment): it never reads the whole backlog (issue 18).
            models.Index(
                fields=["decided_at", "id"],
                condition=Q(status=ClaimStatus.APPROVED),
                name="claim_payable_idx",
            ),
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
                condition=Q(kilometres__gte=0), name="claim_kilometres_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(period_start__year__gte=2000) & Q(period_end__year__lte=2100),
                name="claim_dates_in_portal_years",
            ),
            # A fee other than the scale's is explained.
            models.CheckConstraint(
                condition=Q(computed_fee__isnull=True)
                | Q(fee=F("computed_fee"))
                | ~Q(fee_reason=""),
                name="claim_fee_difference_has_reason",
            ),
            # Two claims of one assignment never cover the same day, whatever their state:
            # a returned claim is corrected in place. `same` instead of btree_gist.
            ExclusionConstraint(
                name="claim_periods_do_not_overlap",
                expressions=[
                    (same("assignment"), RangeOperators.OVERLAPS),
                    (days("period_start", "period_end"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_(
                    "Another claim of this case already covers some of these days."
                ),
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

    @property
    def fee_differs(self):
        return self.computed_fee is not None and self.fee != self.computed_fee

    @property
    def payee_iban_display(self):
        return format_iban(self.payee_iban)

    @property
    def payee_iban_masked(self):
        return mask_iban(self.payee_iban)


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


class Payee(TimeStampedModel):
    """Who a guardian's fees are paid to, kept once on the guardian's profile (issue 15,
    part 3) and copied onto each claim when it is sent (FeeClaim.payee_*).

    A model of fees' own beside guardianship.Guardian rather than fields on it: paying is
    fees' business, the guardian pool's pages and history never carry an IBAN, and the
    guardian edits it on a page of their own. Not in the change history: the sent claims
    keep what was paid to whom.
    """

    guardian = models.OneToOneField(
        "guardianship.Guardian",
        verbose_name=_("guardian"),
        on_delete=models.CASCADE,
        related_name="payee",
    )
    kind = models.CharField(
        _("the fee is paid to"), max_length=10, choices=PayeeKind.choices, default=PayeeKind.PERSON
    )
    name = models.CharField(
        _("payee's name"),
        max_length=200,
        help_text=_("Your own name, or your business's name as registered."),
    )
    iban = models.CharField(_("account (IBAN)"), max_length=34, validators=[validate_iban])
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        blank=True,
        validators=[validate_business_id],
        help_text=_("The Y-tunnus of your business, e.g. 2077474-0."),
    )
    vat_registered = models.BooleanField(
        _("VAT-registered"),
        default=False,
        help_text=_("The business is in the VAT register and adds VAT to its fees."),
    )
    tax_note = models.TextField(
        _("tax card"),
        blank=True,
        max_length=500,
        help_text=_(
            "For a private person: the withholding rate of your tax card for fees, or that "
            "you have sent the tax card to the payer. A business: whether it is in the "
            "prepayment register."
        ),
    )

    class Meta:
        verbose_name = _("payee")
        verbose_name_plural = _("payees")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PayeeKind.values), name="payee_kind_known"),
            models.CheckConstraint(
                condition=(Q(kind=PayeeKind.BUSINESS) & ~Q(business_id=""))
                | (Q(kind=PayeeKind.PERSON) & Q(business_id="") & Q(vat_registered=False)),
                name="payee_business_has_id",
                violation_error_message=_(
                    "A business has a business ID; a private person has none and is not "
                    "VAT-registered."
                ),
            ),
            models.CheckConstraint(condition=~Q(iban=""), name="payee_has_iban"),
        ]

    def __str__(self):
        return self.name

    @property
    def iban_display(self):
        return format_iban(self.iban)

    @property
    def iban_masked(self):
        return mask_iban(self.iban)

    def snapshot(self):
        """The claim's payee fields (FeeClaim.payee_*) as of now."""
        return {
            "payee_kind": self.kind,
            "payee_name": self.name,
            "payee_iban": self.iban,
            "payee_business_id": self.business_id,
            "payee_vat_registered": self.vat_registered,
            "payee_tax_note": self.tax_note,
        }
