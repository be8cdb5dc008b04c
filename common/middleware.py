"""Input no page can use is answered with 400, never a 500."""

import logging

from django.db import DataError
from django.urls import reverse

from common.errors import render_error

logger = logging.getLogger("pikassos.security")


def _has_nul(querydict):
    return any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in querydict.lists()
    )


class BadInputMiddleware:
    """A NUL byte in the query string, which no PostgreSQL text can hold, is refused before
    any view sees it (Django's forms refuse it, but the admin's search and filters pass it
    to the database). A value past a column's or Python's range in a filter (a year of 26 digits)
    fails in the query or in datetime(); that is the client's error, answered with 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The query string only: reading the body here would parse it before the view's
        # permission check (a refused user must get 403, not a 400 about the body), and
        # every form field already refuses NUL (Django's ProhibitNullCharactersValidator).
        if _has_nul(request.GET):
            logger.warning("bad input: NUL byte path=%s", request.path)
            return render_error(400)
        return self.get_response(request)

    def process_exception(self, request, exception):
        bad = DataError | OverflowError
        if request.path.startswith(reverse("admin:index")):
            # The admin's filters, and those of the libraries' admins (pghistory's
            # `?model=`), parse query parameters with int(), get_model() and the like.
            bad |= ValueError | LookupError
        if isinstance(exception, bad):
            # The path only: the query string may carry what the user typed.
            logger.warning("bad input: %s path=%s", type(exception).__name__, request.path)
            return render_error(400)
        return None
