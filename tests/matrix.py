"""What the permission matrices share (tests/test_*_permissions.py): the roles of their
columns, the user of each, and what a refused or redirected answer must look like."""

import pytest
from django.urls import reverse

# The columns of every matrix, in this order.
ROLES = (
    "anonymous",
    "coordinator",
    "planner",
    "sw_pori",
    "sw_rauma",
    "team_leader",
    "guardian_assigned",
    "guardian_other",
    "payer",
    "superuser",
)


def role_users(request, guardian_other):
    """Every role's user by column; None is the anonymous visitor. `sw_rauma` is a social
    worker of another team of the same county, `team_leader` leads both teams' unit.
    `guardian_assigned` is the root conftest's guardian_user, `guardian_other` another
    guardian of the pool, the payer an official of the county, which pays the requests of
    GuardianshipRequestFactory."""
    fixture = request.getfixturevalue
    return {
        "anonymous": None,
        "coordinator": fixture("coordinator"),
        "planner": fixture("planner"),
        "sw_pori": fixture("sw_pori"),
        "sw_rauma": fixture("sw_rauma"),
        "team_leader": fixture("team_leader"),
        "guardian_assigned": fixture("guardian_user"),
        "guardian_other": guardian_other,
        "payer": fixture("payer"),
        "superuser": fixture("superuser"),
    }


def cells(matrix):
    """One pytest param (row, role, expected status) per cell of `matrix`."""
    return [
        pytest.param(row, role, status, id=f"{row}-{role}")
        for row, *statuses in matrix
        for role, status in zip(ROLES, statuses, strict=True)
    ]


def assert_redirect(response, role, *, admin=False):
    """Anonymous visitors meet the portal's login first (LoginRequiredMiddleware), even on
    admin pages; a signed-in user who is not staff gets the admin's own login; an allowed
    step or a refused edit lands on a portal page, never a login."""
    location = response["Location"]
    if role == "anonymous" or admin:
        login = reverse("login") if role == "anonymous" else reverse("admin:login")
        assert location.startswith(f"{login}?next="), location
    else:
        assert "/login/" not in location, location
