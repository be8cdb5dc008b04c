"""Support's part of pages owned by lower apps (the guardian's page in the pool)."""

from django import template
from django.utils import timezone

from support.forms import SupportContactForm
from support.models import SupportContact, TrainingSignup

register = template.Library()


@register.inclusion_tag("support/includes/guardian_support.html", takes_context=True)
def guardian_support(context, guardian):
    """The guardian's training sign-ups, support contacts and the form to record one."""
    return {
        "guardian": guardian,
        "now": timezone.now(),
        "csrf_token": context.get("csrf_token"),
        "signups": list(
            TrainingSignup.objects.filter(guardian=guardian)
            .select_related("event")
            .order_by("-event__starts_at")
        ),
        "contacts": list(
            SupportContact.objects.filter(guardian=guardian).select_related(
                "request", "recorded_by"
            )
        ),
        "support_form": SupportContactForm(guardian=guardian),
    }
