"""Direct tests of stats.policies."""

import pytest

from accounts.tests.policy_users import policy_table
from stats import policies

pytestmark = pytest.mark.django_db


test_policy = policy_table(
    policies,
    {"can_see_stats": "coordinator planner superuser"},
)
