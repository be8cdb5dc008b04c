from functools import wraps

from django.core.exceptions import PermissionDenied


def role_required(*roles):
    """Allow the view to users with one of `roles` (superusers always); 403 otherwise.

    Login itself is enforced for every view by LoginRequiredMiddleware.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not (user.is_authenticated and (user.is_superuser or user.has_role(*roles))):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
