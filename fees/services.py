"""Fee claims: the guardian records, the coordinator approves or returns, the payer pays.

Amounts are Decimal throughout; exports sum Decimals and write them as numbers.
"""

import datetime
import uuid
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.exceptions import WorkflowError
from fees import notifications, policies, scale
from fees.enums import ClaimStatus
from fees.models import ClaimExpense, ContactEntry, FeeClaim, Payee

OVERLAP_CONSTRAINT = "claim_periods_do_not_overlap"


def _save_expenses(claim, expenses):
    for expense in expenses:
        ClaimExpense.objects.create(claim=claim, **expense)


def payee_of(guardian):
    """The guardian's payee details (fees.Payee), or None while they have given none."""
    return Payee.objects.filter(guardian=guardian).first()


def _priced(assignment, fields):
    """`fields` with the fee scale's answer for them (fees.scale): the rate of the period
    and the fee it gives, stored on the claim as it is sent."""
    assessment = scale.assess(
        assignment,
        fields["period_start"],
        fields["period_end"],
        fields["hours"],
        fields.get("kilometres") or Decimal("0.0"),
    )
    if assessment.changes_on:
        raise WorkflowError(_("The fee scale changes within the period: claim it in two parts."))
    return {**fields, "fee_rate": assessment.rate, "computed_fee": assessment.computed}


def _payee_snapshot(assignment):
    """The payee copied onto a claim as it is sent, so that later edits of the profile do
    not rewrite it."""
    payee = payee_of(assignment.guardian)
    if payee is None:
        raise WorkflowError(_("Fill in your payee details before you send a claim."))
    return payee.snapshot()


def _violated(error, constraint):
    cause = getattr(error, "__cause__", None)
    return getattr(getattr(cause, "diag", None), "constraint_name", None) == constraint


def _overlap_error():
    return WorkflowError(_("Another claim of this case already covers some of these days."))


@transaction.atomic
def submit_claim(assignment, *, by, expenses=(), **fields):
    if not policies.claimable_assignments(by).filter(pk=assignment.pk).exists():
        raise WorkflowError(_("A fee can be claimed only for your own appointed cases."))
    fields = {**_priced(assignment, fields), **_payee_snapshot(assignment)}
    claim = FeeClaim.objects.create(assignment=assignment, **fields)
    _save_expenses(claim, expenses)
    _attach_contacts(claim)
    return claim


def earlier_claim(key, *, by):
    """The claim an earlier post of the same form (its idempotency key) made, if any."""
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        return None
    return FeeClaim.objects.filter(idempotency_key=key, assignment__guardian__user=by).first()


def create_claim(assignment, *, by, idempotency_key, expenses=(), **fields):
    """(claim, created): a new claim, or the one an earlier post of the same form made,
    when two posts of it arrive together. A key that is somebody else's raises
    WorkflowError."""
    try:
        with transaction.atomic():
            claim = submit_claim(
                assignment, by=by, expenses=expenses, idempotency_key=idempotency_key, **fields
            )
            return claim, True
    except IntegrityError as error:
        # The same form posted twice at once: its key; otherwise another claim of the
        # period, sent at the same moment (the database's exclusion constraint).
        earlier = earlier_claim(idempotency_key, by=by)
        if earlier is not None:
            return earlier, False
        if _violated(error, OVERLAP_CONSTRAINT):
            raise _overlap_error() from None
        raise WorkflowError(_("The claim could not be saved. Please send it again.")) from None


@transaction.atomic
def resubmit_claim(claim, *, by, expenses=None, **fields):
    """Send a returned claim again, with `fields` changed and `expenses`, the bound and
    valid expense formset of the edit form (fees.forms.ClaimExpenseFormSet), saved: its
    rows changed, removed and added. A replaced or removed receipt's file is deleted."""
    claim = FeeClaim.objects.select_for_update().get(pk=claim.pk)
    if not policies.made_claim(by, claim):
        raise WorkflowError(_("Only the guardian who made the claim can correct it."))
    if claim.status != ClaimStatus.RETURNED:
        raise WorkflowError(_("Only a returned claim can be corrected."))
    current = {
        name: getattr(claim, name) for name in ("period_start", "period_end", "hours", "kilometres")
    }
    fields = {
        **_priced(claim.assignment, {**current, **fields}),
        **_payee_snapshot(claim.assignment),
    }
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.status = ClaimStatus.SUBMITTED
    claim.submitted_at = timezone.now()
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError as error:
        if _violated(error, OVERLAP_CONSTRAINT):
            raise _overlap_error() from None
        raise
    if expenses is not None:
        stored = {e.pk: e.receipt.name for e in claim.expenses.all()}
        expenses.instance = claim
        expenses.save()
        kept = dict(claim.expenses.values_list("pk", "receipt"))
        storage = ClaimExpense._meta.get_field("receipt").storage
        for pk, name in stored.items():
            if name and kept.get(pk) != name:  # removed or replaced: once committed
                transaction.on_commit(lambda n=name: storage.delete(n))
    _attach_contacts(claim)
    return claim


def _decide(claim, by, status, reason=""):
    if not policies.can_decide_claim(by):
        raise WorkflowError(_("Only a coordinator can approve or return a claim."))
    claim = FeeClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ClaimStatus.SUBMITTED:
        raise WorkflowError(_("This claim has already been decided."))
    claim.status = status
    claim.return_reason = reason
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "return_reason", "decided_by", "decided_at", "updated_at"])
    return claim


@transaction.atomic
def approve_claim(claim, *, by):
    claim = _decide(claim, by, ClaimStatus.APPROVED)
    notifications.claim_approved(claim, by=by)
    return claim


@transaction.atomic
def return_claim(claim, *, by, reason):
    if not reason.strip():
        raise WorkflowError(_("Tell the guardian why the claim is returned."))
    claim = _decide(claim, by, ClaimStatus.RETURNED, reason.strip())
    notifications.claim_returned(claim, by=by)
    return claim


@transaction.atomic
def mark_paid(claims, *, by, paid_at, reference):
    """Mark a batch of `claims` paid on `paid_at` with the payer's `reference`, in one
    transaction. Each claim is locked first (select_for_update), so two officials marking
    the same claims at once cannot both mark one: the second finds it paid. Returns
    (paid, already): the claims this call marked, and those somebody had marked before,
    left as they were, for the caller to report. A claim that is not approved, or not
    one the user's organisation pays, raises WorkflowError and nothing is marked."""
    if not policies.can_mark_paid(by):
        raise WorkflowError(_("Only the paying organisation can mark a claim paid."))
    reference = reference.strip()
    if not reference:
        raise WorkflowError(_("Give your reference for the payment."))
    locked = list(
        FeeClaim.objects.select_for_update(of=("self",))
        .select_related("assignment__request")
        .filter(pk__in=[c.pk for c in claims])
        .order_by("pk")  # one order for every transaction: no deadlock between two
    )
    paid, already = [], []
    for claim in locked:
        if not policies.pays_claim(by, claim):
            raise WorkflowError(_("Only the paying organisation can mark a claim paid."))
        if claim.status == ClaimStatus.PAID:
            already.append(claim)
            continue
        if claim.status != ClaimStatus.APPROVED:
            raise WorkflowError(
                _("Claim %(ref)s is not approved: it cannot be paid.") % {"ref": claim.reference}
            )
        claim.status = ClaimStatus.PAID
        claim.paid_at = paid_at
        claim.payment_reference = reference
        claim.paid_by = by
        claim.save(
            update_fields=["status", "paid_at", "payment_reference", "paid_by", "updated_at"]
        )
        paid.append(claim)
    return paid, already


def unpaid_since(days, now=None):
    """The approved claims still unpaid `days` after their approval (a Q, for filtering)."""
    now = now or timezone.now()
    return Q(status=ClaimStatus.APPROVED, decided_at__lt=now - datetime.timedelta(days=days))


# The contact log (fees.ContactEntry): the guardian records contacts as they happen, and a
# claim for a period is drafted from the ones not yet claimed.


def _unclaimed_contacts(assignment, start, end):
    return ContactEntry.objects.filter(
        assignment=assignment, claim__isnull=True, date__range=(start, end)
    )


def _attach_contacts(claim):
    """The claim holds the unclaimed contacts of its period, so they are not claimed twice;
    a returned claim's period may have changed, so its entries are attached afresh."""
    claim.contact_entries.exclude(date__range=(claim.period_start, claim.period_end)).update(
        claim=None
    )
    _unclaimed_contacts(claim.assignment, claim.period_start, claim.period_end).update(claim=claim)


@transaction.atomic
def record_contact(assignment, *, by, **fields):
    if not policies.contact_assignments(by).filter(pk=assignment.pk).exists():
        raise WorkflowError(_("Contacts can be recorded only on your own cases."))
    return ContactEntry.objects.create(assignment=assignment, **fields)


@transaction.atomic
def delete_contact(entry, *, by):
    entry = ContactEntry.objects.select_for_update().get(pk=entry.pk)
    if not policies.contact_assignments(by).filter(pk=entry.assignment_id).exists():
        raise WorkflowError(_("Contacts can be recorded only on your own cases."))
    if entry.claim_id is not None:
        raise WorkflowError(_("This contact is part of a claim and cannot be removed."))
    entry.delete()


def draft_claim(assignment, start, end):
    """The claim form's starting values for a period, from the unclaimed contacts in it:
    the hours and kilometres summed and the work listed, one line per contact."""
    entries = list(_unclaimed_contacts(assignment, start, end).order_by("date", "id"))
    minutes = sum(e.minutes for e in entries)
    lines = [
        f"{date_format(e.date, 'SHORT_DATE_FORMAT')} {e.get_mode_display()}, {e.minutes} min"
        + (f": {e.note}" if e.note else "")
        for e in entries
    ]
    return {
        "period_start": start,
        "period_end": end,
        "hours": (Decimal(minutes) / 60).quantize(Decimal("0.01")),
        "kilometres": sum((e.kilometres for e in entries), Decimal("0.0")),
        "description": "\n".join(lines),
    }, entries
