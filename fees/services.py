"""Fee claims: the guardian records, the coordinator approves or returns, the payer pays.

Amounts are Decimal throughout; exports sum Decimals and write them as numbers.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.exceptions import WorkflowError
from fees import policies
from fees.enums import ClaimStatus
from fees.models import ClaimExpense, FeeClaim


def _save_expenses(claim, expenses):
    for expense in expenses:
        ClaimExpense.objects.create(claim=claim, **expense)


@transaction.atomic
def submit_claim(assignment, *, by, expenses=(), **fields):
    if not policies.claimable_assignments(by).filter(pk=assignment.pk).exists():
        raise WorkflowError(_("A fee can be claimed only for your own appointed cases."))
    claim = FeeClaim.objects.create(assignment=assignment, **fields)
    _save_expenses(claim, expenses)
    return claim


@transaction.atomic
def resubmit_claim(claim, *, by, expenses=(), **fields):
    claim = FeeClaim.objects.select_for_update().get(pk=claim.pk)
    if not policies.made_claim(by, claim):
        raise WorkflowError(_("Only the guardian who made the claim can correct it."))
    if claim.status != ClaimStatus.RETURNED:
        raise WorkflowError(_("Only a returned claim can be corrected."))
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.status = ClaimStatus.SUBMITTED
    claim.submitted_at = timezone.now()
    claim.save()
    _save_expenses(claim, expenses)
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
    return _decide(claim, by, ClaimStatus.APPROVED)


@transaction.atomic
def return_claim(claim, *, by, reason):
    if not reason.strip():
        raise WorkflowError(_("Tell the guardian why the claim is returned."))
    return _decide(claim, by, ClaimStatus.RETURNED, reason.strip())
