"""A child's access report: who handled the child's data, when, in what role and on what
basis, and to whom it was disclosed (client-data act 703/2023, section 11), worded for
the client: people's names and the labels of roles and bases, never user names or codes.
"""

import datetime

from django.db.models import DurationField, F, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from common.jinja2 import render_rows
from common.pagination import Page, page_number
from guardianship.access import SYSTEM_USERNAME
from guardianship.models import AccessLog
from guardianship.models.access_log import CLOCK_SLACK

# The stored role is a comma-separated list of role codes, or "admin" for a superuser.
ROLE_LABELS = {**dict(Role.choices), "admin": gettext_lazy("System administrator")}


# Oldest first, by an expression of `at` rather than `at` itself: ordered by the column,
# the planner walks each month's time index in order and, for the first page, must read
# every row of each month where the child does not appear before it has one from it
# (12 s on the benchmark's log); by the expression it takes each month's GIN index and
# sorts the child's rows (issue 18).
OLDEST_FIRST = (F("at") + Value(datetime.timedelta(0), output_field=DurationField()), "id")


def entries_for(child):
    """The rows naming `child` (a page or list that showed it) and those about its whole
    request (the request's e-mails, a refused look), oldest first, each with its user (one
    query: the children's GIN index and the request's index of each month since the
    request was made)."""
    return AccessLog.objects.about_child(child).select_related("user").order_by(*OLDEST_FIRST)


# The first window of `page_of_entries`, doubled at each step: a page of a child with a
# few rows a month reads a few windows; 12 years take at most 8.
FIRST_WINDOW = datetime.timedelta(days=31)


def page_of_entries(child, page, per_page):
    """Page `page` of `entries_for(child)`, with one row more to tell whether another
    follows, read window by window from the child's request on.

    The whole report sorted for its first page cost 0.7 s for a child on the queue since
    2022 (some 50 000 rows; issue 18). Read from its oldest window, a page sorts only the
    rows of the windows it reaches; a window wholly before the page is counted, not
    read. `page` as in `?page=`; returns a common.pagination.Page."""
    number = page_number(page)
    skip = (number - 1) * per_page
    wanted = per_page + 1
    rows = []
    lower = child.request.created_at - CLOCK_SLACK
    end = timezone.now() + CLOCK_SLACK
    span = FIRST_WINDOW
    entries = entries_for(child)
    while lower < end and len(rows) < wanted:
        # The last window is open-ended: a row written just now is on the page too.
        upper = lower + span
        window = (
            entries.filter(at__gte=lower)
            if upper >= end
            else entries.filter(at__gte=lower, at__lt=upper)
        )
        if skip and (count := window.count()) <= skip:
            skip -= count
        else:
            rows += window[skip : skip + wanted - len(rows)]
            skip = 0
        lower, span = upper, span * 2
    return Page(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)


def finnish_time(value):
    """5.3.2026 9.07.09: the Finnish way (Django's j.n.Y G.i, with seconds), in Helsinki
    time, whatever the language of the page."""
    local = timezone.localtime(value)
    return f"{local.day}.{local.month}.{local.year} {local.hour}.{local:%M.%S}"


def person(entry):
    """The full name of whoever it was; the user name only when the name is empty, the
    stored user name when the user is unknown, and the portal itself for a scheduled job."""
    if entry.user is not None:
        return entry.user.get_full_name() or entry.user.get_username()
    if entry.username == SYSTEM_USERNAME:
        return _("The portal (scheduled message)")
    return entry.username or "–"


def role_label(code):
    return ", ".join(str(ROLE_LABELS.get(c, c)) for c in code.split(",") if c)


def describe(entries):
    """The entries with the texts of their columns set for showing them: `when`,
    `person` and the labels of role, action, basis and outcome."""
    entries = list(entries)
    if not entries:
        return entries
    # The choices' labels translated once, not per row (a printed report of years).
    labels = {
        name: {code: str(label) for code, label in AccessLog._meta.get_field(name).choices}
        for name in ("action", "basis", "outcome")
    }
    roles = {}
    for e in entries:
        e.when = finnish_time(e.at)
        e.person = person(e)
        if e.role not in roles:
            roles[e.role] = role_label(e.role)
        e.role_label = roles[e.role]
        e.action_label = labels["action"].get(e.action, e.action)
        e.basis_label = labels["basis"].get(e.basis, e.basis)
        e.outcome_label = labels["outcome"].get(e.outcome, e.outcome)
    return entries


def rows_html(entries):
    """The described `entries`' table rows (access_log_table.html's), through Jinja2:
    through Django's engine 100 rows were most of the report's time (issue 18)."""
    return render_rows("guardianship/includes/access_log_rows.jinja", {"entries": entries})


def csv_header():
    return [
        _("Time"),
        _("Person"),
        _("Role"),
        _("Action"),
        _("Basis"),
        _("Recipient"),
        _("Outcome"),
    ]


def csv_rows(entries):
    for e in entries:
        yield [
            finnish_time(e.at),
            person(e),
            role_label(e.role),
            e.get_action_display(),
            e.get_basis_display(),
            e.recipient,
            e.get_outcome_display(),
        ]


def controller(request):
    """Who answers for the child's data: the organisation responsible for the child (the
    county that pays the guardian), or the one that made the request."""
    return (request.payer or request.organisation).display_name
