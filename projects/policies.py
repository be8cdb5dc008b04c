"""Who may read and who may edit projects, events and news.

Planners (role staff) and coordinators edit; every signed-in user with a role reads
internal items; everybody else, anonymous users included, sees only public items.
"""

from accounts.policies import has_role, signed_in
from accounts.roles import Role

EDITOR_ROLES = (Role.PLANNER, Role.COORDINATOR)


def can_edit(user) -> bool:
    return has_role(user, *EDITOR_ROLES)


def can_read_internal(user) -> bool:
    return signed_in(user) and (user.is_superuser or bool(user.roles))
