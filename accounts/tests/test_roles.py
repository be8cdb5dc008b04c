import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_the_roles_exist_as_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_has_role(sw_pori, coordinator):
    assert sw_pori.is_social_worker and not sw_pori.is_coordinator
    assert coordinator.is_coordinator and not coordinator.is_guardian
