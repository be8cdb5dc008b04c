"""The date rules of a request and of its steps (issue 14, part 2), written once.

Each function returns {field name: message}: a form shows each message next to its field
(`add_error`), a service refuses the step with the first (`WorkflowError`). The messages
are translated when called, so in the user's language (Finnish by default).
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from guardianship.enums import State
from guardianship.models.tracks import is_minor_on


def _shown(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def a_year_after(day, years=1):
    """The same day `years` later (or earlier); a 29 February's is 1 March (28 February
    going back), so that "a year from" never ends a day short."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return (
            datetime.date(day.year + years, 3, 1)
            if years > 0
            else day.replace(year=day.year + years, day=28)
        )


def birth_date_error(born, today=None):
    """Why `born` cannot be a child's date of birth on a request sent `today`, or ""."""
    today = today or timezone.localdate()
    if born > today:
        return _("The date of birth cannot be in the future.")
    if not is_minor_on(born, today):
        return _("A guardian is appointed only for a child under 18: check the date of birth.")
    return ""


def adults_on(children, day):
    """The children (with a known birth date) who are 18 or older on `day`."""
    return [c for c in children if c.birth_date and not is_minor_on(c.birth_date, day)]


def filing_errors(request, filed_on, today=None):
    """The application to the court: not in the future, and every child under 18 then."""
    today = today or timezone.localdate()
    if filed_on > today:
        return {"filed_on": _("The application cannot be filed on a future date.")}
    adults = adults_on(request.children.all(), filed_on)
    if adults:
        return {
            "filed_on": _(
                "%(names)s had turned 18 by the filing date: a guardian is appointed only "
                "for a child under 18."
            )
            % {"names": ", ".join(c.first_name for c in adults)}
        }
    return {}


def appointment_errors(request, decision_date, final_on=None, mandate_ends_on=None, today=None):
    """The appointment order: given after the filing and not in the future, final on or
    after the decision, and not ending before it was given."""
    today = today or timezone.localdate()
    errors = {}
    filed_on = request.application_filed_on
    if decision_date > today:
        errors["decision_date"] = _("The decision date cannot be in the future.")
    elif filed_on and decision_date < filed_on:
        errors["decision_date"] = _(
            "The decision cannot be earlier than the filing of the application (%(date)s)."
        ) % {"date": _shown(filed_on)}
    if final_on and final_on < decision_date:
        errors["final_on"] = _(
            "The decision cannot become final before it was given (%(date)s)."
        ) % {"date": _shown(decision_date)}
    if mandate_ends_on and mandate_ends_on < decision_date:
        errors["mandate_ends_on"] = _(
            "The mandate cannot end before the decision was given (%(date)s)."
        ) % {"date": _shown(decision_date)}
    return errors


def release_errors(request, released_on=None, release_decision="", today=None):
    """The court's release of a replaced guardian: only of an appointed one, not before
    the appointment and not in the future."""
    today = today or timezone.localdate()
    if not released_on and not release_decision:
        return {}
    if request.state != State.APPOINTED:
        return {
            "released_on": _(
                "Only a guardian the court has appointed is released by the court: leave "
                "the release empty."
            )
        }
    if not released_on:
        return {"released_on": _("Give the date of the court's release.")}
    if released_on > today:
        return {"released_on": _("The release cannot be on a future date.")}
    if request.decision_date and released_on < request.decision_date:
        return {
            "released_on": _(
                "The court cannot release the guardian before appointing them (%(date)s)."
            )
            % {"date": _shown(request.decision_date)}
        }
    return {}
