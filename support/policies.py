"""Who may see and arrange trainings and record support to guardians."""

from accounts.policies import has_role, holds_role, is_coordinator
from accounts.roles import Role


def can_see_trainings(user) -> bool:
    return has_role(user, Role.COORDINATOR, Role.GUARDIAN)


def can_manage_trainings(user) -> bool:
    """Adding trainings, seeing their sign-ups and recording attendance."""
    return is_coordinator(user)


def can_sign_up(user) -> bool:
    """Guardians, with a guardian profile of their own."""
    return holds_role(user, Role.GUARDIAN)


def can_record_support(user) -> bool:
    return is_coordinator(user)
