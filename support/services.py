"""Supporting guardians: training sign-ups, attendance and support contacts."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.exceptions import WorkflowError
from guardianship.models import GuardianTraining
from support.models import TrainingEvent, TrainingSignup


@transaction.atomic
def sign_up(event, guardian):
    event = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    if event.starts_at < timezone.now():
        raise WorkflowError(_("This training has already started."))
    if event.signups.filter(guardian=guardian).exists():
        raise WorkflowError(_("You have already signed up for this training."))
    if event.capacity is not None and event.signups.count() >= event.capacity:
        raise WorkflowError(_("The training is full."))
    # The event row is locked, so no second sign-up can slip in between.
    return TrainingSignup.objects.create(event=event, guardian=guardian)


@transaction.atomic
def record_attendance(event, attended_guardian_ids):
    """Mark who came; each attendee gets the training in their record, once."""
    attended = set(attended_guardian_ids)
    for signup in event.signups.select_for_update().select_related("guardian"):
        signup.attended = signup.guardian_id in attended
        signup.save(update_fields=["attended"])
        if signup.attended:
            GuardianTraining.objects.get_or_create(
                guardian=signup.guardian,
                event=event,
                defaults={
                    "title": event.title,
                    "completed_on": timezone.localdate(event.starts_at),
                },
            )
        else:
            GuardianTraining.objects.filter(guardian=signup.guardian, event=event).delete()
