"""Direct tests of support.policies, one row per function."""

import pytest

from accounts.tests.policy_users import table, user_for
from support import policies

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("function", "key", "expected"),
    table(
        {
            "can_see_trainings": "coordinator guardian superuser",
            "can_manage_trainings": "coordinator superuser",
            "can_sign_up": "guardian superuser",
            "is_trainee": "guardian",
            "can_record_support": "coordinator superuser",
        }
    ),
)
def test_policy(function, key, expected, request):
    assert getattr(policies, function)(user_for(key, request)) is expected
