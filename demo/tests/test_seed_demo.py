import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.roles import Role
from guardianship.enums import State
from guardianship.models import Child, Guardian, GuardianshipRequest

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = {
    "admin",
    "coordinator",
    "planner",
    "sw-pori",
    "sw-rauma",
    "lead-county",
    "guardian",
}


def test_seed_demo_creates_the_demo_accounts_with_their_roles(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo-password-123"
    call_command("seed_demo")
    users = get_user_model().objects.filter(username__in=DEMO_USERNAMES)
    assert set(users.values_list("username", flat=True)) == DEMO_USERNAMES
    sw_pori = users.get(username="sw-pori")
    assert sw_pori.has_role("social_worker")
    assert list(sw_pori.organisations.values_list("slug", flat=True)) == [
        "satakunnan-hyvinvointialue"
    ]
    assert list(sw_pori.units.values_list("name", flat=True)) == ["Lastensuojelu, Pori"]
    assert users.get(username="planner").has_role(Role.PLANNER)
    assert users.get(username="admin").is_superuser
    assert users.get(username="coordinator").check_password("demo-password-123")


def test_seed_demo_twice_creates_no_duplicates(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = get_user_model().objects.count()
    call_command("seed_demo")
    assert get_user_model().objects.count() == first
    assert get_user_model().objects.get(username="sw-rauma").organisations.count() == 1


def test_seed_demo_generates_and_prints_a_password_when_none_is_given(settings, capsys):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = ""
    call_command("seed_demo")
    line = next(x for x in capsys.readouterr().out.splitlines() if "password" in x)
    password = line.rsplit(" ", 1)[-1]
    assert get_user_model().objects.get(username="guardian").check_password(password)


def test_seed_demo_shows_the_whole_workflow(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    requests = GuardianshipRequest.objects.all()
    assert requests.count() == 12
    assert set(requests.values_list("unit__name", flat=True)) == {
        "Lastensuojelu, Pori",
        "Lastensuojelu, Rauma",
    }
    homes = requests.values_list("children__home_municipality__slug", flat=True)
    assert set(homes) == {"pori", "rauma"}
    # Every state of the workflow but a draft.
    assert set(requests.values_list("state", flat=True)) == set(State) - {State.DRAFT}
    codes = Child.objects.values_list("identity_code", flat=True)
    assert all(900 <= int(code[7:10]) <= 999 for code in codes)
    demo_guardian = Guardian.objects.get(user__username="guardian")
    assert demo_guardian.assignments.exists()


def test_the_demo_teams_see_only_their_own_and_the_team_leader_both(settings):
    from guardianship.policies import requests_for

    settings.DEBUG = True
    call_command("seed_demo")
    users = get_user_model().objects.in_bulk(
        ["sw-pori", "sw-rauma", "lead-county"], field_name="username"
    )
    teams = {
        name: {r.unit.name for r in requests_for(user).select_related("unit")}
        for name, user in users.items()
    }
    assert teams == {
        "sw-pori": {"Lastensuojelu, Pori"},
        # sw-rauma still sees nothing of Pori's team, in the same county.
        "sw-rauma": {"Lastensuojelu, Rauma"},
        "lead-county": {"Lastensuojelu, Pori", "Lastensuojelu, Rauma"},
    }
    assert users["lead-county"].has_role("team_leader")


def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    call_command("seed_demo", force=True)
    assert get_user_model().objects.filter(username="admin").exists()
