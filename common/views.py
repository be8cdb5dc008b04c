from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from common import health
from common.jobs import job_health


@login_not_required
def accessibility(request):
    """The accessibility statement required of public-sector services (Act 306/2019).
    The lightest page rendered through the base template: also the benchmark's baseline."""
    return render(
        request,
        "common/accessibility.html",
        {"accessibility_email": settings.ACCESSIBILITY_FEEDBACK_EMAIL},
    )


@login_not_required
@require_safe
@transaction.non_atomic_requests
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: the icon in static files."""
    return redirect(static("favicon.svg"), permanent=True)


@login_not_required
@never_cache
@require_GET
@transaction.non_atomic_requests
def healthz(request):
    """Readiness for load balancers, within HEALTHZ_TIMEOUT seconds whatever the database
    does: it answers, the application's role has the grants a login needs, and every
    migration is applied (common.health). Then the worker's jobs, for monitoring."""
    checks = health.check()
    ok = all(value == "ok" for value in checks.values())
    if not ok:  # the jobs' report reads the database, which did not answer in time
        return JsonResponse({"status": "unavailable", **checks}, status=503)
    return JsonResponse({"status": "ok", **checks, **jobs_report()})


def jobs_report():
    """The worker's jobs for /healthz: each one's last success and whether it is late, and
    the late ones' names, for monitoring to alert on. A late job does not make the portal
    unhealthy for the load balancer: the web still serves."""
    jobs = job_health()
    return {
        "jobs": {
            name: {
                "last_success": job["last_success"].isoformat() if job["last_success"] else None,
                "late": job["late"],
            }
            for name, job in jobs.items()
        },
        "late_jobs": [name for name, job in jobs.items() if job["late"]],
    }
