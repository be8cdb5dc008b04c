"""Need to know inside the county (issue 13, part 1): teams, team leaders, transfers and
the requests filed before 2023."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from common.exceptions import WorkflowError
from conftest import make_user
from guardianship import policies, services
from guardianship.enums import AccessBasis, AccessOutcome, State, StepName
from guardianship.factories import GuardianshipRequestFactory, organisation, team
from guardianship.models import AccessLog, GuardianshipRequest

pytestmark = pytest.mark.django_db


def page(client, user, obj):
    client.force_login(user)
    return client.get(obj.get_absolute_url())


def test_a_social_worker_of_another_team_of_the_county_sees_nothing(client, sw_rauma):
    pori = GuardianshipRequestFactory()
    assert pori.organisation == sw_rauma.organisations.get()  # the same county
    assert page(client, sw_rauma, pori).status_code == 404
    refused = AccessLog.objects.get(request=pori)
    assert (refused.outcome, refused.basis) == (AccessOutcome.REFUSED, "")
    client.force_login(sw_rauma)
    listed = client.get(reverse("guardianship:request_list"), {"state": "all"})
    assert pori.reference not in listed.content.decode()


def test_the_team_member_sees_the_teams_request_with_that_basis(client, sw_pori):
    pori = GuardianshipRequestFactory()
    response = page(client, sw_pori, pori)
    assert response.status_code == 200
    assert "Lastensuojelu, Pori" in response.content.decode()
    assert AccessLog.objects.get(request=pori).basis == AccessBasis.TEAM_MEMBER


def test_the_filer_and_the_responsible_worker_have_their_own_basis(client, sw_pori, sw_rauma):
    filed = GuardianshipRequestFactory(created_by=sw_rauma)  # filed for Pori's team
    responsible = GuardianshipRequestFactory(team="pori", responsible_worker=sw_rauma)
    for obj in (filed, responsible):
        assert page(client, sw_rauma, obj).status_code == 200
        assert AccessLog.objects.get(request=obj).basis == AccessBasis.RESPONSIBLE_WORKER


def test_the_team_leader_sees_the_subtree_and_nothing_else(client, team_leader):
    pori, rauma = GuardianshipRequestFactory(), GuardianshipRequestFactory(team="rauma")
    legacy = GuardianshipRequestFactory(organisation=organisation("ulvila"))
    for obj in (pori, rauma):
        assert page(client, team_leader, obj).status_code == 200
        assert AccessLog.objects.get(request=obj).basis == AccessBasis.TEAM_LEADER
    assert page(client, team_leader, legacy).status_code == 404
    # A leader of the Pori team alone sees Pori's only.
    pori_lead = make_user("team_leader", units=["Lastensuojelu, Pori"], username="pori-lead")
    assert set(policies.requests_for(pori_lead)) == {pori}


def test_a_request_without_a_team_is_the_coordinators(client, coordinator, sw_pori):
    legacy = GuardianshipRequestFactory(organisation=organisation("pori"))
    assert legacy.unit is None
    assert page(client, coordinator, legacy).status_code == 200
    assert page(client, sw_pori, legacy).status_code == 404


def test_transfer_to_another_team_and_worker_is_a_logged_step(client, sw_pori, sw_rauma):
    obj = GuardianshipRequestFactory()
    client.force_login(sw_pori)
    url = reverse("guardianship:request_step", args=[obj.uuid, StepName.TRANSFER])
    response = client.post(
        url,
        {"unit": team("rauma").pk, "responsible_worker": sw_rauma.pk, "reason": "Muutto"},
    )
    assert response.status_code == 302
    obj.refresh_from_db()
    assert (obj.unit, obj.responsible_worker) == (team("rauma"), sw_rauma)
    event = obj.events.get(action=StepName.TRANSFER)
    assert event.actor == sw_pori and "Lastensuojelu, Rauma" in event.text
    assert "Muutto" in event.text
    # Rauma's team sees it now, Pori's worker (neither filer nor in the team) no more.
    assert page(client, sw_rauma, obj).status_code == 200
    assert page(client, sw_pori, obj).status_code == 404


def test_a_worker_outside_the_team_cannot_be_made_responsible(sw_pori, sw_rauma):
    obj = GuardianshipRequestFactory()
    with pytest.raises(WorkflowError):
        services.transfer_request(obj, by=sw_pori, unit=team("pori"), responsible_worker=sw_rauma)
    obj.refresh_from_db()
    assert obj.responsible_worker is None


def test_transfer_is_refused_to_another_team_and_to_guardians(sw_rauma, guardian_user):
    obj = GuardianshipRequestFactory()
    for user in (sw_rauma, guardian_user):
        with pytest.raises(WorkflowError):
            services.transfer_request(obj, by=user, unit=team("rauma"))
    assert GuardianshipRequest.objects.get(pk=obj.pk).unit == team("pori")


def test_the_coordinator_gives_a_request_from_before_2023_to_a_team(coordinator, sw_rauma):
    legacy = GuardianshipRequestFactory(organisation=organisation("rauma"), state=State.SEARCHING)
    services.transfer_request(legacy, by=coordinator, unit=team("rauma"))
    legacy.refresh_from_db()
    # The organisation that filed it stays; the team now serving the child has it.
    assert legacy.organisation.slug == "rauma" and legacy.unit == team("rauma")
    assert legacy in policies.requests_for(sw_rauma)


def test_the_data_migration_maps_only_what_is_certain(sw_pori):
    migration = importlib.import_module("guardianship.migrations.0015_map_requests_to_units")
    by_pori = GuardianshipRequestFactory(organisation=organisation("pori"))
    by_yta = GuardianshipRequestFactory(organisation=organisation("porin-yta"))
    by_kessote = GuardianshipRequestFactory(organisation=organisation("kessote"))
    by_county_worker = GuardianshipRequestFactory(team=None, created_by=sw_pori)
    # Pikassos serves no children: nothing certain, left to the coordinators.
    by_pikassos = GuardianshipRequestFactory(organisation=organisation("pikassos"))
    # A county request by someone in no team: unknown too.
    by_nobody = GuardianshipRequestFactory(team=None)
    assert migration.map_requests_to_units(apps) == (4, 2)
    units = dict(GuardianshipRequest.objects.values_list("pk", "unit__name"))
    assert units[by_pori.pk] == units[by_yta.pk] == units[by_county_worker.pk]
    assert units[by_pori.pk] == "Lastensuojelu, Pori"
    assert units[by_kessote.pk] == "Lastensuojelu, Keski-Satakunta"
    assert units[by_pikassos.pk] is None and units[by_nobody.pk] is None


def test_the_county_starting_set_of_units(sw_pori):
    from municipalities.models import Unit

    names = set(
        Unit.objects.filter(organisation__slug="satakunnan-hyvinvointialue").values_list(
            "name", flat=True
        )
    )
    assert {"Lastensuojelu", "Lastensuojelu, Pori", "Lastensuojelu, Rauma"} <= names
    subtree = Unit.objects.descendants(Unit.objects.get(name="Lastensuojelu"), include_self=True)
    assert team("pori") in subtree and team("rauma") in subtree
