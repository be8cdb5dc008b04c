from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import allowed_if
from common.versioning import EditConflict
from projects.feeds import build_calendar, public_calendar
from projects.forms import DeleteForm, EventFilterForm, EventForm
from projects.models import Event
from projects.policies import can_edit, can_read_internal
from projects.services import delete_event, save_event

PAGE_SIZE = 25
UPCOMING = "upcoming"
PAST = "past"


def get_event_for_user(user, uuid, queryset=None):
    """The event if this user may read it; 404 otherwise (internal ones included)."""
    queryset = Event.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset.visible_to(user), uuid=uuid)


@login_not_required
@require_safe
def event_list(request, when=UPCOMING):
    form = EventFilterForm(request.GET or None, user=request.user)
    events = Event.objects.visible_to(request.user).select_related("organiser", "project")
    now = timezone.now()
    events = events.upcoming(now) if when == UPCOMING else events.past(now)
    if form.is_bound:
        events = form.filter(events)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/event_list.html",
        {
            "form": form,
            "page_obj": page,
            "events": page.object_list,
            "when": when,
            "can_edit": can_edit(request.user),
            "reads_internal": can_read_internal(request.user),
        },
    )


@login_not_required
@require_safe
def event_detail(request, uuid):
    event = get_event_for_user(
        request.user,
        uuid,
        Event.objects.select_related("organiser", "project").prefetch_related(
            "target_organisations"
        ),
    )
    return render(
        request,
        "projects/event_detail.html",
        {
            "event": event,
            "can_edit": can_edit(request.user),
            "show_project": event.project is not None
            and (event.project.is_public or can_read_internal(request.user)),
        },
    )


@login_not_required
@require_safe
def event_calendar(request):
    """The iCalendar feed of public events, for calendar subscriptions (never internal ones)."""
    ical = public_calendar(request)
    response = HttpResponse(ical, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pikassos-events.ics"'
    return response


@login_not_required
@require_safe
def event_ics(request, uuid):
    """One event as an iCalendar file to add to a calendar: public events for anyone,
    internal ones for those who may read them (as the event's page)."""
    event = get_event_for_user(request.user, uuid)
    response = HttpResponse(
        build_calendar(request, Event.objects.filter(pk=event.pk), subscription=False),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="pikassos-event.ics"'
    return response


@allowed_if(can_edit)
@require_http_methods(["GET", "POST"])
def event_create(request):
    return _event_form(request, Event())


@allowed_if(can_edit)
@require_http_methods(["GET", "POST"])
def event_edit(request, uuid):
    return _event_form(request, get_object_or_404(Event, uuid=uuid))


def _event_form(request, event):
    creating = event.pk is None
    form = EventForm(request.POST if request.method == "POST" else None, instance=event)
    if form.is_bound and form.is_valid():
        try:
            event = save_event(form=form, by=request.user)
        except EditConflict as conflict:
            # Saved by someone else since the form was loaded (issue 16, part 5).
            form.show_conflict(conflict.current)
        else:
            messages.success(
                request, _("The event was created.") if creating else _("Changes saved.")
            )
            return redirect(event)
    return render(
        request,
        "projects/event_form.html",
        {"form": form, "event": event, "creating": creating, "delete_form": DeleteForm()},
    )


@allowed_if(can_edit)
@require_POST
def event_delete(request, uuid):
    event = get_object_or_404(Event, uuid=uuid)
    if not DeleteForm(request.POST).is_valid():
        messages.error(request, _("Tick the box to confirm the deletion."))
        return redirect("events:edit", uuid=event.uuid)
    delete_event(event)
    messages.success(request, _("The event was deleted."))
    return redirect("events:list")
