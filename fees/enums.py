from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")
    # Marked paid by the paying organisation's official, with the date and their reference.
    PAID = "paid", _("Paid")


class PayeeKind(models.TextChoices):
    """Who the fee is paid to: the guardian as a private person (the payer withholds tax
    by their tax card) or the guardian's business (with a business ID, perhaps VAT)."""

    PERSON = "person", _("Private person")
    BUSINESS = "business", _("Business (e.g. a sole trader or a law firm)")


class ContactMode(models.TextChoices):
    """How the guardian was in touch on the case (the contact log, fees.ContactEntry)."""

    MEETING = "meeting", _("Meeting in person")
    VIDEO = "video", _("Video meeting")
    PHONE = "phone", _("Phone call")
    MESSAGE = "message", _("Message or letter")
    HEARING = "hearing", _("Court hearing or police interview")
    OTHER = "other", _("Other work on the case")
