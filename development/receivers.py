"""The question desk's part of the nightly retention (apply_retention's retention_due)."""

from django.dispatch import receiver

from development import retention
from guardianship.retention import retention_due


@receiver(retention_due, dispatch_uid="development.erase_questions")
def erase_questions(sender, today, **kwargs):
    retention.erase_questions()
