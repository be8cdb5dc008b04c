"""The question queue's items (templates/development/queue.html), their text computed
once per page in Python and rendered through Jinja2 (common/jinja2.py): through Django's
engine, with a URL reversed and a status looked up per item, they were most of the
planner's queue (issue 18)."""

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from common.display import choice_labels, short_dates, slug_url, uuid_url
from common.jinja2 import render_rows
from development.models import ProjectIdea, QuestionStatus


def question_items(questions):
    """The items' HTML, escaped in the template, for a Django template to include."""
    statuses = choice_labels(QuestionStatus.choices)
    url = uuid_url("development:question_detail")
    short_date = short_dates()
    zone = timezone.get_current_timezone()
    not_assigned = _("Not assigned")
    for q in questions:
        created = timezone.localtime(q.created_at, zone)
        q.url = url(q.uuid)
        # As the truncatewords filter: twelve words, then an ellipsis.
        q.short_text = Truncator(q.text).words(12, truncate=" …")
        q.status_label = statuses.get(q.status, q.status)
        q.created_iso = created.isoformat(timespec="seconds")
        q.created_on = short_date(created)
        q.topic_name = q.topic.display_name if q.topic_id else ""
        q.handled_by = (
            _("Handled by %(name)s") % {"name": q.assigned_to} if q.assigned_to_id else not_assigned
        )
    return render_rows("development/includes/question_items.jinja", {"questions": questions})


def idea_items(ideas):
    """The items of one state of the idea pipeline (templates/development/idea_pipeline.html)
    as HTML, escaped in the template; their text computed once per page."""
    roles = choice_labels(ProjectIdea._meta.get_field("pikassos_role").choices)
    url = uuid_url("development:idea_detail")
    project_url = slug_url("projects:detail")
    short_date = short_dates()
    no_planner = _("No planner")
    for idea in ideas:
        idea.url = url(idea.uuid)
        if idea.call_deadline:
            idea.deadline_iso = idea.call_deadline.isoformat()
            idea.deadline_on = short_date(idea.call_deadline)
        idea.funder_name = str(idea.funder) if idea.funder_id else ""
        idea.planned_by = (
            _("Planned by %(name)s") % {"name": idea.planner} if idea.planner_id else no_planner
        )
        idea.role_label = roles.get(idea.pikassos_role, idea.pikassos_role)
        idea.partner_names = ", ".join(str(p) for p in idea.partners.all())
        if idea.project_id:
            idea.project_url = project_url(idea.project.slug)
            idea.project_name = idea.project.display_name
    return render_rows(
        "development/includes/idea_items.jinja",
        {
            "ideas": ideas,
            # Translated here: makemessages reads no .jinja file (common/jinja2.py).
            "deadline_label": _("Deadline"),
            "no_deadline_label": _("No deadline yet"),
            "pikassos_label": _("Pikassos:"),
            "partners_label": _("Partners:"),
            "project_label": _("Project:"),
        },
    )
