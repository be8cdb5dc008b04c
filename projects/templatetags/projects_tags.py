"""Projects' part of pages owned by lower apps (an organisation's page)."""

from django import template

from projects import rows
from projects.queries import projects_of, upcoming_events_for, with_projects

register = template.Library()


@register.inclusion_tag("projects/includes/organisation_projects.html", takes_context=True)
def organisation_projects(context, organisation):
    """The projects an organisation partners in or funds, and its upcoming events, as the
    signed-in user may see them."""
    user = context["request"].user
    organisations = type(organisation).objects.filter(pk=organisation.pk).only("pk")
    annotated = with_projects(organisations, user).get()
    return {
        "organisation": organisation,
        "projects": projects_of(annotated),
        "upcoming_events": upcoming_events_for(organisation, user),
    }


@register.simple_tag(takes_context=True)
def event_rows(context, events, show_project):
    """An event table's rows (projects.rows), an internal project linked only for those
    who read internal projects (the page's `reads_internal`)."""
    return rows.event_rows(
        events, show_project=show_project, reads_internal=context.get("reads_internal", False)
    )
