from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import Role
from guardianship.enums import State
from guardianship.models import GuardianshipRequest


def home(request):
    """The start page: what the signed-in user can do, by role, with their open requests
    counted by state. (Ended and cancelled ones pile up over the years: counting them on
    every visit would slow the page down year by year, and they need no action.)"""
    counts = []
    if request.user.is_superuser or request.user.has_role(
        Role.COORDINATOR, Role.SOCIAL_WORKER, Role.GUARDIAN
    ):
        by_state = dict(GuardianshipRequest.objects.for_user(request.user).open_by_state())
        counts = [
            (value, label, by_state[value]) for value, label in State.choices if by_state.get(value)
        ]
    return render(request, "common/home.html", {"state_counts": counts})


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
    """Liveness and readiness for load balancers: does the database answer?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok"})
