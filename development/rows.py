"""The question queue's items (templates/development/queue.html), their text computed
once per page in Python and rendered through Jinja2 (common/jinja2.py): through Django's
engine, with a URL reversed and a status looked up per item, they were most of the
planner's queue (issue 18)."""

from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from common.display import choice_labels, uuid_url
from common.jinja2 import render_rows
from development.models import QuestionStatus


def question_items(questions):
    """The items' HTML, escaped in the template, for a Django template to include."""
    statuses = choice_labels(QuestionStatus.choices)
    url = uuid_url("development:question_detail")
    date_format = get_format("SHORT_DATE_FORMAT")
    zone = timezone.get_current_timezone()
    not_assigned = _("Not assigned")
    for q in questions:
        created = timezone.localtime(q.created_at, zone)
        q.url = url(q.uuid)
        # As the truncatewords filter: twelve words, then an ellipsis.
        q.short_text = Truncator(q.text).words(12, truncate=" …")
        q.status_label = statuses.get(q.status, q.status)
        q.created_iso = created.isoformat(timespec="seconds")
        q.created_on = dateformat.format(created, date_format)
        q.topic_name = q.topic.display_name if q.topic_id else ""
        q.handled_by = (
            _("Handled by %(name)s") % {"name": q.assigned_to} if q.assigned_to_id else not_assigned
        )
    return render_rows("development/includes/question_items.jinja", {"questions": questions})
