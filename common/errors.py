"""Error pages that work when nothing else does.

The templates are rendered without a request, so no context processor runs: no user,
no messages, no database query. The 500 handler answers 503 with Retry-After when the
database is unreachable, so an outage shows "try again soon" rather than a server error.
"""

import logging
import sys

from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Each error page's heading and message (errors/error.html renders them all).
ERRORS = {
    400: (
        gettext_lazy("Bad request"),
        gettext_lazy(
            "The portal could not handle this request. Check the address, or go back and try again."
        ),
    ),
    403: (
        gettext_lazy("Access denied"),
        gettext_lazy(
            "You do not have permission to open this page. If you think you should have, "
            "contact Pikassos."
        ),
    ),
    404: (
        gettext_lazy("Page not found"),
        gettext_lazy("The page does not exist or you cannot see it. Check the address."),
    ),
    500: (
        gettext_lazy("Server error"),
        gettext_lazy("Something went wrong on our side. Please try again in a moment."),
    ),
    503: (
        gettext_lazy("The service is temporarily unavailable"),
        gettext_lazy("We are sorry for the interruption. Please try again in a few minutes."),
    ),
}

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def bad_request(request, exception):
    return render_error(400)


def permission_denied(request, exception):
    return render_error(403)


def page_not_found(request, exception):
    return render_error(404)


def server_error(request):
    """Django calls this inside its `except` block, so sys.exc_info() is the error."""
    if is_database_unavailable(sys.exc_info()[1]):
        return service_unavailable()
    return render_error(500)


def service_unavailable():
    response = render_error(503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def is_database_unavailable(exc):
    """Is `exc`, or an exception it was raised from, a lost or refused connection?"""
    driver = connection.Database
    unavailable = (
        OperationalError,
        InterfaceError,
        driver.OperationalError,
        driver.InterfaceError,
    )
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, unavailable):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def render_error(status):
    heading, message = ERRORS[status]
    try:
        context = {"status": status, "heading": heading, "message": message}
        body = render_to_string("errors/error.html", context)
        content_type = "text/html; charset=utf-8"
    except Exception:
        # The last resort: an error page must not fail (a missing static file in the
        # manifest, a broken template); plain text needs nothing.
        logger.exception("The %s error page could not be rendered", status)
        body = _("Error code: %(status)s") % {"status": status}
        content_type = "text/plain; charset=utf-8"
    return HttpResponse(body, status=status, content_type=content_type)
