"""Direct tests of accounts.policies: who holds which role."""

import pytest

from accounts import policies
from accounts.roles import Role
from accounts.tests.policy_users import ROLE_OF, USERS, policy_table, user_for

pytestmark = pytest.mark.django_db


test_policy = policy_table(
    policies,
    {
        "signed_in": "coordinator planner sw_pori team_leader guardian payer superuser none",
        "is_coordinator": "coordinator superuser",
    },
)


@pytest.mark.parametrize("key", USERS)
@pytest.mark.parametrize("role", list(Role))
def test_holds_role_and_has_role(role, key, request):
    user = user_for(key, request)
    holds = ROLE_OF.get(key) == role
    assert policies.holds_role(user, role) is holds
    assert policies.has_role(user, role) is (holds or key == "superuser")


@pytest.mark.parametrize("key", USERS)
def test_has_role_takes_any_of_several(key, request):
    user = user_for(key, request)
    expected = key in ("planner", "guardian", "superuser")
    assert policies.has_role(user, Role.PLANNER, Role.GUARDIAN) is expected
    assert policies.has_role(user) is (key == "superuser")
