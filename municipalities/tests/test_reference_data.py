import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from guardianship.factories import GuardianshipRequestFactory
from municipalities.models import Membership, Organisation, OrganisationKind, ServiceOffering
from municipalities.reference import POSA_NOTE, load_reference_data

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
        "kanta-hameen-hyvinvointialue": "wellbeing_county",
        "pirkanmaan-hyvinvointialue": "wellbeing_county",
        "thl": "state_agency",
        "stm": "state_agency",
        "pikassos": "centre_of_expertise",
        # The state's payer of the criminal-investigation track (guardianship 0018).
        "valtio-satakunnan-karajaoikeus": "state_agency",
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


def test_pori_hosts_porin_yta():
    assert Membership.objects.get(member__slug="pori", authority__slug="porin-yta").is_host


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


# Issue 14, part 5: reference data true today. One test per corrected fact; the sources
# are named in municipalities/reference.py and the README, "Reference data".

COUNTY = "satakunnan-hyvinvointialue"
JOINT_AUTHORITIES = ["satasairaala", "porin-yta", "kessote", "posa"]


def org(slug):
    return Organisation.objects.get(slug=slug)


def test_kessote_has_its_official_name_and_its_four_members_joined_on_1_january_2021():
    kessote = org("kessote")
    assert kessote.name == "Keski-Satakunnan sosiaali- ja terveydenhuollon kuntayhtymä"
    assert kessote.short_name == "Kessote"
    links = Membership.objects.filter(authority=kessote)
    assert {m.member.slug for m in links} == {"harjavalta", "kokemaki", "eurajoki", "nakkila"}
    assert {(m.valid_from, m.valid_to) for m in links} == {
        (datetime.date(2021, 1, 1), datetime.date(2022, 12, 31))
    }


def test_the_joint_authorities_ended_on_31_december_2022_and_the_county_succeeds_them():
    county = org(COUNTY)
    for slug in JOINT_AUTHORITIES:
        authority = org(slug)
        assert authority.valid_to == datetime.date(2022, 12, 31), slug
        assert authority.successor == county, slug
        assert not authority.is_current and authority.is_former
    assert set(Organisation.objects.former().values_list("slug", flat=True)) == {
        *JOINT_AUTHORITIES,
        "honkajoki",
    }
    assert set(county.predecessors.values_list("slug", flat=True)) == set(JOINT_AUTHORITIES)


def test_the_ended_joint_authorities_are_kept_for_the_requests_of_their_time():
    request = GuardianshipRequestFactory(organisation=org("kessote"))
    with pytest.raises(ProtectedError):
        org("kessote").delete()
    load_reference_data(apps)
    request.refresh_from_db()
    assert request.organisation.slug == "kessote"


def test_satasairaala_goes_on_as_the_county_central_hospital():
    district = org("satasairaala")
    assert district.name == "Satakunnan sairaanhoitopiirin kuntayhtymä"
    assert district.short_name == "Satasairaala"
    assert "keskussairaalana" in district.description
    assert "Satasairaala on hyvinvointialueen keskussairaala." in org(COUNTY).description


def test_the_county_is_defined_by_its_area_not_by_members():
    county = org(COUNTY)
    area = set(county.area.values_list("slug", flat=True))
    assert len(area) == 16 and "honkajoki" not in area
    assert area == set(
        Organisation.objects.municipalities().current().values_list("slug", flat=True)
    )
    assert not Membership.objects.filter(authority__kind=OrganisationKind.WELLBEING_COUNTY)
    assert org("pori").area_of.get() == county
    assert Organisation.objects.region_county() == county


def test_a_membership_of_a_county_is_refused():
    link = Membership(member=org("pori"), authority=org(COUNTY))
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "authority" in error.value.message_dict


def test_the_migration_turns_county_memberships_into_the_area():
    migration = importlib.import_module("municipalities.migrations.0007_reference_data_2023")
    county, rauma = org(COUNTY), org("rauma")
    county.area.remove(rauma)
    Membership.objects.create(member=rauma, authority=county, valid_from=county.valid_from)
    migration.area_from_county_memberships(apps)
    assert rauma in county.area.all()
    assert not Membership.objects.filter(authority=county).exists()
    migration.county_memberships_from_area(apps)  # and back
    assert Membership.objects.filter(authority=county).count() == 16
    assert not county.area.exists()


def test_loading_again_corrects_a_membership_recorded_without_its_start():
    link = Membership.objects.get(member__slug="kokemaki", authority__slug="kessote")
    Membership.objects.filter(pk=link.pk).update(valid_from=None)
    load_reference_data(apps)
    corrected = Membership.objects.get(member__slug="kokemaki", authority__slug="kessote")
    assert corrected.pk == link.pk and corrected.valid_from == datetime.date(2021, 1, 1)


def test_posa_facts_are_dated_2020_and_its_note_is_loaded():
    posa = org("posa")
    assert posa.facts_recorded_on == datetime.date(2020, 4, 1)
    assert {m.recorded_on.year for m in posa.preparedness_measures.all()} == {2020}
    assert posa.description.endswith(POSA_NOTE)


def test_pikassos_oy_is_owned_by_three_wellbeing_services_counties():
    pikassos = org("pikassos")
    assert (pikassos.name, pikassos.short_name) == ("Pikassos Oy", "Pikassos")
    assert pikassos.kind == OrganisationKind.CENTRE_OF_EXPERTISE
    assert pikassos.valid_from == datetime.date(2001, 11, 21)
    assert set(pikassos.owners.values_list("slug", flat=True)) == {
        "kanta-hameen-hyvinvointialue",
        "pirkanmaan-hyvinvointialue",
        COUNTY,
    }
    assert {o.kind for o in pikassos.owners.all()} == {OrganisationKind.WELLBEING_COUNTY}
    assert org("kanta-hameen-hyvinvointialue").name_sv == "Egentliga Tavastlands välfärdsområde"
    assert org("pirkanmaan-hyvinvointialue").name_sv == "Birkalands välfärdsområde"


def test_pikassos_coordinates_guardianship_in_satakunta_since_1_january_2022():
    assert "Koordinoi Satakunnassa lastensuojelun edunvalvontaa 1.1.2022 alkaen." in (
        org("pikassos").description
    )


def test_swedish_names_only_where_they_exist():
    swedish = dict(Organisation.objects.municipalities().values_list("slug", "name_sv"))
    assert {slug: name for slug, name in swedish.items() if name} == {
        "eurajoki": "Euraåminne",
        "huittinen": "Vittis",
        "kokemaki": "Kumo",
        "merikarvia": "Sastmola",
        "pomarkku": "Påmark",
        "pori": "Björneborg",
        "rauma": "Raumo",
        "siikainen": "Siikais",
        "ulvila": "Ulvsby",
    }


def test_public_contact_details_of_the_county_and_pikassos():
    county, pikassos = org(COUNTY), org("pikassos")
    assert county.website == "https://satakunnanhyvinvointialue.fi"
    assert pikassos.website == "https://pikassos.fi"
    # Nothing unverified is invented: no address, phone or e-mail from a public source.
    assert (county.address, county.phone, county.email) == ("", "", "")
    assert (pikassos.address, pikassos.phone, pikassos.email) == ("", "", "")
