"""Fees' part of guardianship's retention: the claims of anonymised requests."""

from django.dispatch import receiver

from common.retention import erasure
from fees import retention
from fees.models import CONTACT_PERSONAL_FIELDS, ContactEntry, FeeClaim
from guardianship.retention import requests_anonymised, retention_due


@receiver(requests_anonymised, dispatch_uid="fees.erase_claims")
def erase_claims(sender, requests, **kwargs):
    """A claim that was never approved goes with its request; an approved or paid one is
    an accounting voucher and is kept whole until its own date (fees.retention)."""
    claims = FeeClaim.objects.filter(assignment__request__in=requests)
    retention.erase(claims.exclude(retention.kept()))


@receiver(retention_due, dispatch_uid="fees.erase_expired_claims")
def erase_expired_claims(sender, today, **kwargs):
    retention.erase_expired_claims(today)


@receiver(requests_anonymised, dispatch_uid="fees.erase_contacts")
def erase_contacts(sender, requests, **kwargs):
    ContactEntry.objects.filter(assignment__request__in=requests).update(
        **erasure(CONTACT_PERSONAL_FIELDS)
    )
