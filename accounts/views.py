from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
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


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, saving a freshly read user: request.user may be the read-only copy of the
    shared auth cache (accounts.authcache), which must never be saved over the row."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = get_user_model()._default_manager.get(pk=self.request.user.pk)
        return kwargs
