"""Input no page can use is answered with 400, never a 500."""

import logging

from django.db import DataError
from django.urls import reverse

from common.errors import render_error

logger = logging.getLogger("pikassos.security")


class BadInputMiddleware:
    """Input that reaches the database or a parser in a form it cannot take is the
    client's error, answered with 400: a NUL byte, which no PostgreSQL text can hold (the
    admin's search and filters pass it on; Django's forms refuse it themselves), or a value
    past a column's or Python's range (an admin filter's year of 26 digits). Nothing is
    read before the view runs, so a refused user still gets their 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
