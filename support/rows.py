"""The training list's items (templates/support/training_list.html), their text computed
once per page in Python and rendered through Jinja2 (common/jinja2.py): a hundred items
through Django's engine, each with its URLs, dates, a translated count and a sign-up
form, were most of the page's time (issue 18)."""

from django.template.backends.utils import csrf_input
from django.utils.translation import gettext as _

from common.display import short_dates, uuid_url
from common.jinja2 import render_rows


def _texts(trainings, format_name):
    short_date = short_dates(format_name)
    for training in trainings:
        training.starts_on = short_date(training.starts_at)
    return trainings


def training_items(request, upcoming, past, *, mine, guardian, manages):
    """(upcoming items' HTML, past items' HTML). A guardian (`guardian`) sees a sign-up
    form or that they are signed up (`mine`: the trainings' ids); those who manage
    trainings (`manages`) a link to each upcoming one's page."""
    detail_url = uuid_url("support:training_detail")
    signup_url = uuid_url("support:training_signup")
    upcoming = _texts(list(upcoming), "SHORT_DATETIME_FORMAT")
    for training in upcoming:
        training.url = detail_url(training.uuid) if manages else None
        training.signup_url = signup_url(training.uuid)
        training.taken = (
            _("%(n)s of %(capacity)s places taken")
            % {"n": training.signed_up, "capacity": training.capacity}
            if training.capacity
            else ""
        )
    context = {
        "mine": mine,
        "guardian": guardian is not None,
        # Translated here: makemessages reads no .jinja file (common/jinja2.py).
        "signed_up_label": _("You are signed up."),
        "sign_up_label": _("Sign up"),
        "past_signed_up_label": _("signed up"),
    }
    if guardian is not None:
        context["csrf_input"] = csrf_input(request)
    return (
        render_rows("support/includes/training_items.jinja", {**context, "trainings": upcoming}),
        render_rows(
            "support/includes/training_past_items.jinja",
            {**context, "trainings": _texts(list(past), "SHORT_DATE_FORMAT")},
        ),
    )
