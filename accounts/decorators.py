from functools import wraps

from django.core.exceptions import PermissionDenied


def allowed_if(policy):
    """Allow the view to users for whom `policy(user)` (one of the apps' policies) says
    yes; 403 otherwise. Login itself is enforced for every view by
    LoginRequiredMiddleware; objects are scoped by the view's lookups."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not policy(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
