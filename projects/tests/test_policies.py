"""Direct tests of projects.policies."""

import pytest

from accounts.tests.policy_users import table, user_for
from projects import policies

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("function", "key", "expected"),
    table(
        {
            "can_edit": "coordinator planner superuser",
            "can_read_internal": "coordinator planner sw_pori guardian payer superuser",
        }
    ),
)
def test_policy(function, key, expected, request):
    assert getattr(policies, function)(user_for(key, request)) is expected
