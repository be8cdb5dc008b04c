"""Regional statistics of guardianship (aggregates only, small cells suppressed)."""

from django.http import Http404

from accounts.decorators import role_required
from accounts.roles import Role


@role_required(Role.COORDINATOR, Role.STAFF)
def stats(request):
    raise Http404


@role_required(Role.COORDINATOR, Role.STAFF)
def stats_csv(request, table):
    raise Http404
