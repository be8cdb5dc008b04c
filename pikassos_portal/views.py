"""Views that span the apps: the config package may import every app (see README, Layout).

djangoproject.com keeps its cross-app views in its config package the same way.
"""

from django.shortcuts import render

from guardianship import policies
from guardianship.enums import State


def home(request):
    """The start page: what the signed-in user can do, by role, with their open requests
    counted by state. (Ended and cancelled ones pile up over the years: counting them on
    every visit would slow the page down year by year, and they need no action.)"""
    counts = []
    if policies.can_see_requests(request.user):
        by_state = dict(policies.requests_for(request.user).open_by_state())
        counts = [
            (value, label, by_state[value]) for value, label in State.choices if by_state.get(value)
        ]
    return render(request, "pikassos_portal/home.html", {"state_counts": counts})
