"""What the signed-in user may do, for templates and the navigation, asked of each app's
policies: the header shows exactly the pages the views allow."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from accounts.policies import is_coordinator
from accounts.roles import Role
from development import policies as development
from fees import policies as fees
from guardianship import policies as guardianship
from projects import policies as projects
from stats import policies as stats
from support import policies as support

# `{% if can.export_requests %}` in a template asks the policy named here.
POLICIES = {
    "see_requests": guardianship.can_see_requests,
    "export_requests": guardianship.can_export_requests,
    "create_request": guardianship.can_create_request,
    "manage_pool": guardianship.can_manage_pool,
    "see_access_report": guardianship.can_see_access_report,
    "have_cases": guardianship.has_cases,
    "see_claims": fees.can_see_claims,
    "decide_claims": fees.can_decide_claim,
    "export_claims": fees.can_export_claims,
    "see_trainings": support.can_see_trainings,
    "manage_trainings": support.can_manage_trainings,
    "see_stats": stats.can_see_stats,
    "edit_projects": projects.can_edit,
    "handle_questions": development.can_handle_questions,
    "plan_projects": development.can_plan,
    "manage_networks": development.can_manage_networks,
    "coordinate": is_coordinator,
}


class Permissions(Mapping):
    """The answers for one user, each asked once and only when a template reads it."""

    def __init__(self, user):
        self.user = user
        self.answers = {}

    def __getitem__(self, name):
        if name not in self.answers:
            self.answers[name] = POLICIES[name](self.user)
        return self.answers[name]

    def __iter__(self):
        return iter(POLICIES)

    def __len__(self):
        return len(POLICIES)


@dataclass(frozen=True)
class NavItem:
    url_name: str  # a namespaced URL name
    label: str
    policy: str  # a key of POLICIES


# The signed-in part of the main navigation, in order.
NAVIGATION = [
    NavItem("guardianship:request_list", _("Requests"), "see_requests"),
    NavItem("guardianship:guardian_list", _("Guardian pool"), "manage_pool"),
    NavItem("fees:claim_list", _("Fee claims"), "see_claims"),
    NavItem("stats:index", _("Statistics"), "see_stats"),
    NavItem("development:queue", _("Questions"), "handle_questions"),
    NavItem("development:idea_pipeline", _("Project ideas"), "plan_projects"),
    NavItem("guardianship:my_assignments", _("My cases"), "have_cases"),
]


def permissions(request):
    user = getattr(request, "user", None)
    can = Permissions(user)
    return {
        "can": can,
        "navigation": SimpleLazyObject(lambda: _navigation(request, can)),
        "user_roles": user.roles if user is not None and user.is_authenticated else frozenset(),
        "Role": Role,
    }


def _navigation(request, can):
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    items = []
    for item in NAVIGATION:
        if not can[item.policy]:
            continue
        label = item.label
        if item.url_name == "guardianship:request_list" and can["coordinate"]:
            label = _("Request queue")
        items.append(
            {"url_name": item.url_name, "label": label, "current": item.url_name == current}
        )
    return items


def session_timing(request):
    """For the session warning of every signed-in page (static/js/session.js, issue 16):
    the seconds left of the session, and how long before its end to warn."""
    from accounts.middleware import session_remaining

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "session_remaining": session_remaining(request.session),
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "autosave_seconds": settings.DRAFT_AUTOSAVE_SECONDS,
    }
