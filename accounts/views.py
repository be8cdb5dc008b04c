from django.http import JsonResponse
from django.views.decorators.http import require_POST

from accounts import policies
from accounts.decorators import allowed_if
from accounts.middleware import keep_alive, session_remaining


@require_POST
@allowed_if(policies.signed_in)
def keepalive(request):
    """The session warning's "stay signed in" (static/js/session.js): the idle time of
    the session starts again. A session already ended is sent to log in by
    SessionLimitMiddleware before this runs."""
    keep_alive(request.session)
    return JsonResponse({"remaining": session_remaining(request.session)})
