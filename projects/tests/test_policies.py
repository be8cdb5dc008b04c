"""Direct tests of projects.policies."""

import pytest

from accounts.tests.policy_users import policy_table
from projects import policies

pytestmark = pytest.mark.django_db


test_policy = policy_table(
    policies,
    {
        "can_edit": "coordinator planner superuser",
        "can_read_internal": "coordinator planner sw_pori team_leader guardian payer superuser",
    },
)
