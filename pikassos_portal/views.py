"""Views that span the apps: the config package may import every app (see README, Layout).

djangoproject.com keeps its cross-app views in its config package the same way.
"""

from django.shortcuts import render

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
    return render(request, "pikassos_portal/home.html", {"state_counts": counts})
