"""The access log and the scoped lookups that feed it.

Every view that shows a child's personal data goes through `get_request_for_user`
(or logs a list with `log_list`), so no view can forget the scope or the log entry.
"""

from django.http import Http404

from guardianship.enums import AccessAction, AccessOutcome
from guardianship.models import AccessLog, GuardianshipRequest


def _role(user):
    if user.is_superuser:
        return "admin"
    return ",".join(sorted(user.roles))


def log_access(http_request, action, *, guardianship_request=None, children=(), outcome=None):
    """Write one row per child shown (one row without a child when there is none)."""
    user = http_request.user
    outcome = outcome or AccessOutcome.ALLOWED
    common = {
        "user": user if user.is_authenticated else None,
        "username": user.get_username() if user.is_authenticated else "",
        "role": _role(user) if user.is_authenticated else "",
        "action": action,
        "outcome": outcome,
        "path": http_request.path[:300],
    }
    rows = [
        AccessLog(request_id=child.request_id, child=child, **common) for child in children
    ] or [AccessLog(request=guardianship_request, **common)]
    AccessLog.objects.bulk_create(rows)


def log_list(http_request, requests, action=AccessAction.LIST):
    """One row per child on a list page or in an export (a single INSERT)."""
    children = [child for r in requests for child in r.children.all()]
    if children:
        log_access(http_request, action, children=children)


class AccessRefused(Http404):
    """A refused look at a request. The view's transaction rolls back on this exception,
    so `AccessLogMiddleware` writes the refusal after the rollback."""

    def __init__(self, guardianship_request, action):
        super().__init__()
        self.guardianship_request = guardianship_request
        self.action = action


def get_request_for_user(http_request, uuid, *, action=AccessAction.VIEW, queryset=None, log=True):
    """The request if the user may see it, logged; otherwise a refused entry and 404."""
    queryset = queryset if queryset is not None else GuardianshipRequest.objects.all()
    try:
        found = queryset.for_user(http_request.user).get(uuid=uuid)
    except GuardianshipRequest.DoesNotExist:
        existing = GuardianshipRequest.objects.filter(uuid=uuid).first()
        if existing is not None:
            raise AccessRefused(existing, action) from None
        raise Http404 from None
    if log:
        log_access(http_request, action, guardianship_request=found, children=found.children.all())
    return found
