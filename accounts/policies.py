"""Who holds which role: the questions every app's policies start from.

`has_role` counts a superuser in: the administrator may do what a coordinator, planner or
payer may. Pages that act as one person of the workflow (a social worker filing a request,
a guardian claiming a fee) ask `holds_role`: a superuser is not that person.
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
