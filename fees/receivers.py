"""Fees' part of guardianship's retention: the claims of anonymised requests."""

from django.db import transaction
from django.dispatch import receiver

from common.retention import erasure
from fees.models import (
    CLAIM_PERSONAL_FIELDS,
    CONTACT_PERSONAL_FIELDS,
    ClaimExpense,
    ContactEntry,
    FeeClaim,
)
from guardianship.retention import requests_anonymised


@receiver(requests_anonymised, dispatch_uid="fees.erase_claims")
def erase_claims(sender, requests, **kwargs):
    claims = FeeClaim.objects.filter(assignment__request__in=requests)
    claims.update(**erasure(CLAIM_PERSONAL_FIELDS))
    expenses = ClaimExpense.objects.filter(claim__in=claims).exclude(receipt="")
    for expense in expenses:
        # Delete the file only after the database change is committed.
        name, storage = expense.receipt.name, expense.receipt.storage
        transaction.on_commit(lambda n=name, s=storage: s.delete(n))
    expenses.update(receipt="")


@receiver(requests_anonymised, dispatch_uid="fees.erase_contacts")
def erase_contacts(sender, requests, **kwargs):
    ContactEntry.objects.filter(assignment__request__in=requests).update(
        **erasure(CONTACT_PERSONAL_FIELDS)
    )
