"""Direct tests of support.policies, one row per function."""

import pytest

from accounts.tests.policy_users import policy_table
from support import policies

pytestmark = pytest.mark.django_db


test_policy = policy_table(
    policies,
    {
        "can_see_trainings": "coordinator guardian superuser",
        "can_manage_trainings": "coordinator superuser",
        "can_sign_up": "guardian",
        "can_record_support": "coordinator superuser",
    },
)
