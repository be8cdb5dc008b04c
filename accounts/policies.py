"""Who holds which role: the questions every app's policies start from.

A superuser counts as every role that has a page of its own (the coordinator's and the
planner's), as `role_required` always let them in; they are not guardians, social workers
or payers, who see only what is theirs.
"""

from accounts.roles import Role


def signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def has_role(user, *roles) -> bool:
    """The user holds one of `roles`, or is a superuser."""
    return signed_in(user) and (user.is_superuser or user.has_role(*roles))


def is_coordinator(user) -> bool:
    """Pikassos' guardianship coordinator (or a superuser)."""
    return has_role(user, Role.COORDINATOR)


def holds_role(user, role) -> bool:
    """The user holds `role` itself; a superuser does not count."""
    return signed_in(user) and user.has_role(role)
