import pytest
from django.contrib.auth.models import Group

from accounts.backends import ModelBackend
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_the_roles_exist_as_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    # The planners' group was once called "staff" (like Django's is_staff): migration 0004.
    assert not Group.objects.filter(name="staff").exists()


def test_has_role(sw_pori, coordinator):
    assert sw_pori.has_role(Role.SOCIAL_WORKER) and not sw_pori.has_role(Role.COORDINATOR)
    assert coordinator.has_role(Role.GUARDIAN, Role.COORDINATOR)
    assert not coordinator.has_role(Role.GUARDIAN)


def test_the_signed_in_user_comes_with_their_roles_in_one_query(
    coordinator, django_assert_num_queries
):
    coordinator.groups.add(Group.objects.get(name=Role.PLANNER))
    with django_assert_num_queries(1):
        user = ModelBackend().get_user(coordinator.pk)
        assert user.roles == {Role.COORDINATOR, Role.PLANNER}


def test_a_user_without_roles_and_an_inactive_user(coordinator):
    coordinator.groups.clear()
    assert ModelBackend().get_user(coordinator.pk).roles == frozenset()
    coordinator.is_active = False
    coordinator.save()
    assert ModelBackend().get_user(coordinator.pk) is None
    assert ModelBackend().get_user(-1) is None
