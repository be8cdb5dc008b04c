import datetime

import pytest
from django.apps import apps

from municipalities.models import Membership, Organisation, OrganisationKind, ServiceOffering
from municipalities.reference import load_reference_data

pytestmark = pytest.mark.django_db

EXPECTED_CODES = {
    "Eura": "050",
    "Eurajoki": "051",
    "Harjavalta": "079",
    "Honkajoki": "099",
    "Huittinen": "102",
    "Jämijärvi": "181",
    "Kankaanpää": "214",
    "Karvia": "230",
    "Kokemäki": "271",
    "Merikarvia": "484",
    "Nakkila": "531",
    "Pomarkku": "608",
    "Pori": "609",
    "Rauma": "684",
    "Siikainen": "747",
    "Säkylä": "783",
    "Ulvila": "886",
}


def test_seventeen_municipalities_with_their_statistics_finland_codes():
    municipalities = Organisation.objects.municipalities()
    assert dict(municipalities.values_list("name", "code")) == EXPECTED_CODES
    assert municipalities.count() == 17


def test_honkajoki_ended_and_was_succeeded_by_kankaanpaa():
    honkajoki = Organisation.objects.get(code="099")
    assert honkajoki.valid_to == datetime.date(2020, 12, 31)
    assert honkajoki.successor.name == "Kankaanpää"
    assert not honkajoki.is_current
    assert honkajoki not in Organisation.objects.current()
    assert honkajoki in Organisation.objects.former()


def test_joint_authorities_county_and_partners_are_loaded():
    kinds = dict(
        Organisation.objects.exclude(kind=OrganisationKind.MUNICIPALITY).values_list("slug", "kind")
    )
    assert kinds == {
        "satasairaala": "joint_authority",
        "porin-yta": "joint_authority",
        "kessote": "joint_authority",
        "posa": "joint_authority",
        "satakunnan-hyvinvointialue": "wellbeing_county",
        "thl": "state_agency",
        "stm": "state_agency",
        "pikassos": "centre_of_expertise",
    }


def test_posa_members_are_the_ones_the_domain_rates_high_or_medium_high():
    members = set(
        Membership.objects.filter(authority__slug="posa").values_list("member__name", flat=True)
    )
    assert members == {"Honkajoki", "Jämijärvi", "Kankaanpää", "Karvia", "Pomarkku", "Siikainen"}
    assert Membership.objects.get(authority__slug="posa", member__slug="honkajoki").valid_to == (
        datetime.date(2020, 12, 31)
    )


def test_unknown_memberships_are_left_empty():
    # Eura, Huittinen and Säkylä are rated low, Rauma medium: no joint-authority membership.
    for slug in ["eura", "huittinen", "sakyla", "rauma"]:
        assert not Membership.objects.filter(member__slug=slug, authority__kind="joint_authority")


def test_pori_hosts_porin_yta_and_every_current_municipality_joined_the_county():
    assert Membership.objects.get(member__slug="pori", authority__slug="porin-yta").is_host
    county_members = Membership.objects.filter(authority__slug="satakunnan-hyvinvointialue")
    assert county_members.count() == 16
    assert not county_members.filter(member__slug="honkajoki").exists()
    assert {m.valid_from for m in county_members} == {datetime.date(2023, 1, 1)}


def test_posa_social_services_from_the_seed():
    offerings = ServiceOffering.objects.filter(provider__slug="posa").select_related("service")
    assert offerings.count() == 8
    assert all(o.walk_in_reception for o in offerings)
    assert {o.service.code for o in offerings if o.remote_appointments} == {"family-counselling"}
    assert offerings.get(service__code="child-protection").municipalities.count() == 6
    assert Organisation.objects.get(slug="posa").social_services_staff == 50


def test_loading_again_changes_nothing():
    before = (
        Organisation.objects.count(),
        Membership.objects.count(),
        ServiceOffering.objects.count(),
    )
    load_reference_data(apps)
    after = (
        Organisation.objects.count(),
        Membership.objects.count(),
        ServiceOffering.objects.count(),
    )
    assert before == after
