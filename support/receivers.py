"""Support's part of guardianship's retention: contacts about anonymised requests."""

from django.dispatch import receiver

from common.retention import erasure
from guardianship.retention import requests_anonymised
from support.models import SUPPORT_CONTACT_PERSONAL_FIELDS, SupportContact


@receiver(requests_anonymised, dispatch_uid="support.erase_contacts")
def erase_contacts(sender, requests, **kwargs):
    SupportContact.objects.filter(request__in=requests).update(
        **erasure(SUPPORT_CONTACT_PERSONAL_FIELDS)
    )
