"""Views that span the apps: the config package may import every app (see README, Layout).

djangoproject.com keeps its cross-app views in its config package the same way.
"""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from guardianship import policies
from guardianship.enums import State
from projects.models import Event, NewsItem, Project, ProjectStatus

# What the public front page lists of each kind (the lists themselves have the rest).
FRONT_ITEMS = 4


@login_not_required
@require_safe
def home(request):
    """The start page: the public front page for visitors, the signed-in user's own one
    otherwise."""
    if not request.user.is_authenticated:
        return front(request)
    return signed_in_home(request)


def front(request):
    """What Pikassos and the portal do, the public projects, events and news, and the
    way in for staff: nothing internal, nothing about any child."""
    now = timezone.now()
    return render(
        request,
        "pikassos_portal/front.html",
        {
            "projects": Project.objects.public()
            .filter(status=ProjectStatus.ACTIVE)
            .order_by("name", "pk")[:FRONT_ITEMS],
            "events": Event.objects.public().upcoming(now)[:FRONT_ITEMS],
            "news_items": NewsItem.objects.public()
            .published(now)
            .order_by("-published_at", "-pk")[:FRONT_ITEMS],
        },
    )


def signed_in_home(request):
    """What the signed-in user can do, by role, with their open requests counted by
    state. (Ended and cancelled ones pile up over the years: counting them on
    every visit would slow the page down year by year, and they need no action.)"""
    counts = []
    if policies.can_see_requests(request.user):
        by_state = dict(policies.requests_for(request.user).open_by_state())
        counts = [
            (value, label, by_state[value]) for value, label in State.choices if by_state.get(value)
        ]
    return render(request, "pikassos_portal/home.html", {"state_counts": counts})
