"""The event tables' rows (templates/projects/includes/event_table.html), their text
computed once per page in Python and rendered through Jinja2 (common/jinja2.py): a
month of events through Django's engine, with an include per row for its times, was most
of the event list's time (issue 18)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from common.display import choice_labels, short_dates, slug_url, uuid_url
from common.jinja2 import render_rows
from projects.models import EventKind


def describe_events(events, *, show_project, reads_internal):
    """Each event row's text in the active language and in local time; with
    `show_project`, its project's link (the events come with their projects), an internal
    one only for those who read internal projects (`reads_internal`)."""
    kinds = choice_labels(EventKind.choices)
    url = uuid_url("events:detail")
    project_url = slug_url("projects:detail")
    short_date, short_time = short_dates(), short_dates("TIME_FORMAT")
    zone = timezone.get_current_timezone()
    for event in events:
        starts = timezone.localtime(event.starts_at, zone)
        ends = timezone.localtime(event.ends_at, zone)
        event.url = url(event.uuid)
        event.kind_label = kinds.get(event.kind, event.kind)
        event.starts_iso = starts.isoformat(timespec="seconds")
        event.ends_iso = ends.isoformat(timespec="seconds")
        event.starts_on, event.ends_on = short_date(starts), short_date(ends)
        event.starts_time, event.ends_time = short_time(starts), short_time(ends)
        event.same_day = starts.date() == ends.date()
        project = event.project if show_project else None
        shown = project is not None and (project.is_public or reads_internal)
        event.project_url = project_url(project.slug) if shown else None
        event.project_name = project.display_name if shown else None
    return events


def event_rows(events, *, show_project, reads_internal):
    """The rows' HTML, escaped in the template, for a Django template to include."""
    return render_rows(
        "projects/includes/event_rows.jinja",
        {
            "events": describe_events(
                list(events), show_project=show_project, reads_internal=reads_internal
            ),
            "show_project": show_project,
            # Translated here: makemessages reads no .jinja file (common/jinja2.py).
            "internal_label": _("internal"),
            "remote_label": _("Remote"),
        },
    )
