import re

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import allowed_if
from common.exceptions import WorkflowError
from common.forms import form_errors_to_messages
from guardianship.models import Guardian
from support import policies, rows
from support import services as support
from support.forms import SupportContactForm, TrainingEventForm
from support.models import TrainingEvent, TrainingSignup


def _own_guardian(user):
    """The user's own guardian profile; only guardians have one (no query for others)."""
    if not policies.can_sign_up(user):
        return None
    return Guardian.objects.filter(user=user).first()


@allowed_if(policies.can_see_trainings)
def training_list(request):
    now = timezone.now()
    guardian = _own_guardian(request.user)
    mine = set()
    if guardian is not None:
        mine = set(guardian.training_signups.values_list("event_id", flat=True))
    upcoming = TrainingEvent.objects.with_signups().filter(starts_at__gte=now)
    upcoming = list(upcoming.order_by("starts_at")[:50])
    # The past ones show no places taken.
    past = list(TrainingEvent.objects.filter(starts_at__lt=now).order_by("-starts_at")[:50])
    upcoming_items, past_items = rows.training_items(
        request,
        upcoming,
        past,
        mine=mine,
        guardian=guardian,
        manages=policies.can_manage_trainings(request.user),
    )
    return render(
        request,
        "support/training_list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "upcoming_items": upcoming_items,
            "past_items": past_items,
        },
    )


@allowed_if(policies.can_manage_trainings)
def training_edit(request):
    form = TrainingEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = form.save()
        messages.success(request, _("The training was added."))
        return redirect("support:training_detail", uuid=event.uuid)
    return render(request, "support/training_form.html", {"form": form})


@allowed_if(policies.can_manage_trainings)
def training_detail(request, uuid):
    event = get_object_or_404(
        TrainingEvent.objects.prefetch_related(
            Prefetch("signups", queryset=TrainingSignup.objects.select_related("guardian"))
        ),
        uuid=uuid,
    )
    return render(request, "support/training_detail.html", {"event": event})


@require_POST
@allowed_if(policies.can_sign_up)
def training_signup(request, uuid):
    event = get_object_or_404(TrainingEvent, uuid=uuid)
    guardian = _own_guardian(request.user)
    if guardian is None:
        raise Http404
    try:
        support.sign_up(event, guardian)
        messages.success(request, _("You are signed up."))
    except WorkflowError as error:
        messages.error(request, error.message)
    return redirect("support:training_list")


@require_POST
@allowed_if(policies.can_manage_trainings)
def training_attendance(request, uuid):
    event = get_object_or_404(TrainingEvent, uuid=uuid)
    # Only ASCII digits: str.isdigit() also accepts "²", which int() refuses.
    ids = {int(v) for v in request.POST.getlist("attended") if re.fullmatch(r"[0-9]{1,18}", v)}
    support.record_attendance(event, ids)
    messages.success(request, _("Attendance was saved."))
    return redirect("support:training_detail", uuid=event.uuid)


@require_POST
@allowed_if(policies.can_record_support)
def support_contact_create(request, uuid):
    guardian = get_object_or_404(Guardian, uuid=uuid)
    form = SupportContactForm(request.POST, guardian=guardian)
    if form.is_valid():
        contact = form.save(commit=False)
        contact.guardian = guardian
        contact.recorded_by = request.user
        contact.save()
        messages.success(request, _("The support contact was recorded."))
    else:
        form_errors_to_messages(request, form)
    return redirect(guardian)
