"""Views that span the apps: the config package may import every app (see README, Layout).

djangoproject.com keeps its cross-app views in its config package the same way.
"""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from fees.enums import ClaimStatus
from guardianship import listing, policies
from guardianship.enums import UNMATCHED_STATES, AssignmentStatus, State
from guardianship.models import Assignment
from projects import caching
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

    def sections():
        now = timezone.now()
        return render_to_string(
            "pikassos_portal/includes/front_sections.html",
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

    # The same for every visitor: kept rendered (projects.caching).
    return render(
        request,
        "pikassos_portal/front.html",
        {"sections": mark_safe(caching.kept(["front"], sections))},
    )


def signed_in_home(request):
    """What the signed-in user can do, by role, with their open requests counted by
    state. (Ended and cancelled ones pile up over the years: counting them on
    every visit would slow the page down year by year, and they need no action.)
    First, what needs the user's action, each with its count and a link to the list
    that shows those (issue 16, part 2)."""
    by_state = {}
    counts = []
    if policies.can_see_requests(request.user):
        by_state = dict(policies.requests_for(request.user).open_by_state())
        counts = [
            (value, label, by_state[value]) for value, label in State.choices if by_state.get(value)
        ]
    return render(
        request,
        "pikassos_portal/home.html",
        {"state_counts": counts, "needs_action": needs_action(request.user, by_state)},
    )


def needs_action(user, by_state):
    """[(label, count, link)] of what waits for `user` by their roles; None when no role
    of theirs has any. Here in the config package: the guardian's returned fee claims are
    the fees app's, which sits above guardianship."""
    items = []
    queue = reverse("guardianship:request_list")
    consent_given = by_state.get(State.CONSENT_GIVEN, 0)
    if policies.can_manage_pool(user):
        late = (
            policies.requests_for(user)
            .filter(state__in=UNMATCHED_STATES)
            .aggregate(
                unmatched=Count("pk", filter=listing.unmatched_too_long()),
                unanswered=Count("pk", filter=listing.unanswered_too_long()),
            )
        )
        for key, label in listing.needs_choices():
            items.append((label, late[key], f"{queue}?needs={key}"))
        items.append(
            (
                _("Consent given, application not filed"),
                consent_given,
                f"{queue}?state={State.CONSENT_GIVEN}",
            )
        )
    elif policies.can_create_request(user):
        items.append(
            (
                _("Consent given: file the application"),
                consent_given,
                f"{queue}?state={State.CONSENT_GIVEN}",
            )
        )
    if policies.has_cases(user):
        # One query for both: the proposals and the returned claims of their assignments.
        own = Assignment.objects.filter(guardian__user=user).aggregate(
            proposals=Count("pk", filter=Q(status=AssignmentStatus.PROPOSED), distinct=True),
            returned=Count("claims", filter=Q(claims__status=ClaimStatus.RETURNED), distinct=True),
        )
        items.append(
            (
                _("Proposals waiting for your answer"),
                own["proposals"],
                reverse("guardianship:my_assignments"),
            )
        )
        items.append(
            (
                _("Fee claims returned for correction"),
                own["returned"],
                f"{reverse('fees:claim_list')}?status={ClaimStatus.RETURNED}",
            )
        )
    return items or None
