"""The users the policy tables answer for, shared by every app's test_policies."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role
from conftest import make_user

# The users every policy table answers for, in this order.
USERS = [
    "anonymous",
    "coordinator",
    "planner",
    "sw_pori",
    "team_leader",
    "guardian",
    "payer",
    "superuser",
    "none",
]
ROLE_OF = {
    "coordinator": Role.COORDINATOR,
    "planner": Role.PLANNER,
    "sw_pori": Role.SOCIAL_WORKER,
    "team_leader": Role.TEAM_LEADER,
    "guardian": Role.GUARDIAN,
    "payer": Role.PAYER,
}


def user_for(key, request):
    if key == "anonymous":
        return AnonymousUser()
    if key == "payer":
        return make_user(Role.PAYER, ["satakunnan-hyvinvointialue"], username="pia-payer")
    if key == "none":
        return make_user(username="no-role")
    fixture = {"guardian": "guardian_user"}.get(key, key)
    return request.getfixturevalue(fixture)


def table(answers):
    """{function: "who answers yes"} → [(function, user, expected)] over all USERS."""
    return [
        (function, key, key in yes.split()) for function, yes in answers.items() for key in USERS
    ]


def policy_table(module, answers):
    """A test asking each yes/no policy of `module` for every user of USERS:
    `answers` is {function: "the users who are answered yes"}."""

    @pytest.mark.django_db
    @pytest.mark.parametrize(("function", "key", "expected"), table(answers))
    def test_policy(function, key, expected, request):
        assert getattr(module, function)(user_for(key, request)) is expected

    return test_policy
