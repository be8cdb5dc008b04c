"""Who may see the regional statistics (aggregates only, small cells suppressed)."""

from accounts.policies import has_role
from accounts.roles import Role


def can_see_stats(user) -> bool:
    return has_role(user, Role.COORDINATOR, Role.PLANNER)
