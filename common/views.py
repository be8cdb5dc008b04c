from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from common import health


@login_not_required
def accessibility(request):
    """The accessibility statement required of public-sector services (Act 306/2019).
    The lightest page rendered through the base template: also the benchmark's baseline."""
    return render(request, "common/accessibility.html")


@login_not_required
@never_cache
@require_GET
@transaction.non_atomic_requests
def healthz(request):
    """Readiness for load balancers, within HEALTHZ_TIMEOUT seconds whatever the database
    does: it answers, the application's role has the grants a login needs, and every
    migration is applied (common.health)."""
    checks = health.check()
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503
    )
