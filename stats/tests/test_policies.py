"""Direct tests of stats.policies."""

import pytest

from accounts.tests.policy_users import table, user_for
from stats import policies

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("function", "key", "expected"),
    table({"can_see_stats": "coordinator planner superuser"}),
)
def test_policy(function, key, expected, request):
    assert getattr(policies, function)(user_for(key, request)) is expected
