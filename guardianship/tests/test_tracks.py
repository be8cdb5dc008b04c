"""The legal tracks (issue 14, part 1): child welfare (LSL 22 §) and criminal investigation
(ETL 4:8) as reference data; who may apply, which body appoints, who pays and when the
mandate ends, each; the payer derived from the track; the criminal investigation's
details; the day the mandate ends at the latest."""

import datetime

import pytest
import time_machine
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import translation

from common.exceptions import WorkflowError
from guardianship import services
from guardianship.enums import (
    ApplicantKind,
    AppointingBody,
    AssignmentStatus,
    EndCondition,
    InvestigationApplicant,
    State,
)
from guardianship.factories import (
    AssignmentFactory,
    ChildFactory,
    GuardianFactory,
    GuardianshipRequestFactory,
)
from guardianship.models import GuardianshipRequest, LegalTrack, RequestTrack
from guardianship.models.tracks import (
    CHILD_WELFARE,
    CRIMINAL_INVESTIGATION,
    eighteenth_birthday,
    payer_of,
)
from guardianship.retention import anonymise
from guardianship.tests.helpers import request_form_data
from municipalities.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db

NEW = reverse("guardianship:request_create")
COUNTY = "satakunnan-hyvinvointialue"
STATE = "valtio-satakunnan-karajaoikeus"
INVESTIGATION = {
    "police_report_number": "5600/R/1234/26",
    "investigating_unit": "Lounais-Suomen poliisilaitos, Porin pääpoliisiasema",
    "investigation_applicant": InvestigationApplicant.HEAD_OF_INVESTIGATION,
    "investigation_applicant_name": "Tutkinnanjohtaja Testi",
    "investigation_applicant_organisation": "Lounais-Suomen poliisilaitos",
    "investigation_applicant_contact": "0295 000 000",
}


def track(code):
    return LegalTrack.objects.get(code=code)


# --- Each track: who may apply, which body appoints, who pays, when it ends -------------

EXPECTED = {
    CHILD_WELFARE: {
        "law": "Lastensuojelulaki 417/2007 22 §",
        # The responsible social worker (LSL 22 §); the guardianship authority or the
        # custodian may apply too.
        "applicants": {
            ApplicantKind.RESPONSIBLE_SOCIAL_WORKER,
            ApplicantKind.GUARDIANSHIP_AUTHORITY,
            ApplicantKind.CUSTODIAN,
        },
        # The district court; in agreed cases Digi- ja väestötietovirasto.
        "appoints": AppointingBody.DISTRICT_COURT,
        "agreed": AppointingBody.GUARDIANSHIP_AUTHORITY,
        # The wellbeing services county.
        "payer": (COUNTY, OrganisationKind.WELLBEING_COUNTY),
        "ends": {EndCondition.MATTER_RESOLVED, EndCondition.AGE_OF_MAJORITY},
        "investigation": False,
    },
    CRIMINAL_INVESTIGATION: {
        "law": "Esitutkintalaki 805/2011 4 luku 8 §",
        # The head of investigation; the prosecutor or the social welfare authority.
        "applicants": {
            ApplicantKind.HEAD_OF_INVESTIGATION,
            ApplicantKind.PROSECUTOR,
            ApplicantKind.SOCIAL_AUTHORITY,
        },
        # Only the court (ETL 4:8: "tuomioistuimen on määrättävä").
        "appoints": AppointingBody.DISTRICT_COURT,
        "agreed": "",
        # The state: the court pays the fee from state funds (KKO:2018:69).
        "payer": (STATE, OrganisationKind.STATE_AGENCY),
        "ends": {EndCondition.CRIMINAL_CASE_ENDS, EndCondition.AGE_OF_MAJORITY},
        "investigation": True,
    },
}


@pytest.mark.parametrize("code", [CHILD_WELFARE, CRIMINAL_INVESTIGATION])
def test_each_track_says_who_applies_who_appoints_who_pays_and_when_it_ends(code):
    found, expected = track(code), EXPECTED[code]
    assert found.law_reference == expected["law"]
    assert set(found.applicant_kinds) == expected["applicants"]
    assert found.applicants  # the same in words, for people
    assert found.appointing_body == expected["appoints"]
    assert found.agreed_appointing_body == expected["agreed"]
    assert found.default_court == "Satakunnan käräjäoikeus"
    assert (found.payer.slug, found.payer.kind) == expected["payer"]
    assert set(found.end_conditions) == expected["ends"]
    assert found.records_investigation is expected["investigation"]
    assert "finlex.fi" in found.sources  # every track names its sources
    assert found.is_active


def test_the_state_payer_is_the_court_that_pays_from_state_funds():
    state = Organisation.objects.get(slug=STATE)
    assert state.name == "Valtio – Satakunnan käräjäoikeus"
    assert "KKO:2018:69" in state.description


def test_the_tracks_are_shown_in_finnish_and_swedish():
    with translation.override("sv"):
        assert str(track(CRIMINAL_INVESTIGATION)) == "Förundersökning (FUL 4:8)"
    with translation.override("fi"):
        assert str(track(CRIMINAL_INVESTIGATION)) == "Esitutkinta (ETL 4:8)"


def test_a_track_a_request_is_on_cannot_be_deleted():
    GuardianshipRequestFactory()
    with pytest.raises(ProtectedError):
        track(CHILD_WELFARE).delete()


# --- The request form: the track replaces the choice of payer ----------------------------


@pytest.fixture
def sw(client, sw_pori):
    client.force_login(sw_pori)
    return client


def file(sw, *codes, **fields):
    data = request_form_data(tracks=[track(c).pk for c in codes], **fields)
    return sw.post(NEW, data)


def test_the_form_offers_the_tracks_with_their_payers_and_no_payer_to_choose(sw):
    form = sw.get(NEW).context["form"]
    assert "payer" not in form.fields
    labels = [label for _, label in form.fields["tracks"].choices]
    assert labels == [
        "Lastensuojelu (LSL 22 §) – maksaja: Satakunnan hyvinvointialue",
        "Esitutkinta (ETL 4:8) – maksaja: Valtio – Satakunnan käräjäoikeus",
    ]


@pytest.mark.parametrize(
    ("codes", "payer"),
    [
        ((CHILD_WELFARE,), COUNTY),
        # The criminal investigation alone: the state.
        ((CRIMINAL_INVESTIGATION,), STATE),
        # Both: the county, for the child-protection matter (README, "Legal tracks").
        ((CHILD_WELFARE, CRIMINAL_INVESTIGATION), COUNTY),
    ],
)
def test_the_payer_follows_from_the_tracks(sw, codes, payer):
    response = file(sw, *codes, **INVESTIGATION)
    assert response.status_code == 302
    created = GuardianshipRequest.objects.get()
    assert set(created.tracks.values_list("code", flat=True)) == set(codes)
    assert created.payer.slug == payer


def test_a_posted_payer_is_ignored(sw):
    rauma = Organisation.objects.get(slug="rauma")
    assert file(sw, CRIMINAL_INVESTIGATION, payer=rauma.pk, **INVESTIGATION).status_code == 302
    assert GuardianshipRequest.objects.get().payer.slug == STATE


def test_a_request_needs_a_track(sw):
    response = sw.post(NEW, request_form_data(tracks=[]))
    assert response.status_code == 200
    assert response.context["form"].errors["tracks"]
    assert not GuardianshipRequest.objects.exists()


def test_a_track_no_longer_offered_cannot_be_chosen_for_a_new_request(sw):
    LegalTrack.objects.filter(code=CRIMINAL_INVESTIGATION).update(is_active=False)
    response = file(sw, CRIMINAL_INVESTIGATION, **INVESTIGATION)
    assert response.context["form"].errors["tracks"]


def test_the_criminal_investigation_needs_its_report_number_unit_and_applicant(sw):
    response = file(sw, CRIMINAL_INVESTIGATION)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"police_report_number", "investigating_unit", "investigation_applicant"}
    page = response.content.decode()
    message = "Anna tämä, kun peruste on esitutkinta (ETL 4:8)."
    assert (
        f'<div id="id_police_report_number_error"><p class="field__error">{message}</p></div>'
        in page
    )


def test_the_investigation_is_recorded_only_on_its_track(sw):
    assert file(sw, CHILD_WELFARE, **INVESTIGATION).status_code == 302
    created = GuardianshipRequest.objects.get()
    assert created.police_report_number == "" and created.investigation_applicant == ""
    assert file(sw, CRIMINAL_INVESTIGATION, **INVESTIGATION).status_code == 302
    etl = GuardianshipRequest.objects.get(tracks__code=CRIMINAL_INVESTIGATION)
    assert etl.police_report_number == "5600/R/1234/26"
    assert etl.investigation_applicant == InvestigationApplicant.HEAD_OF_INVESTIGATION
    assert etl.investigation_applicant_contact == "0295 000 000"


def test_the_payer_is_data_a_coordinator_corrects_in_the_admin(client, superuser, sw_pori):
    """Who pays is the track's payer: changed in the admin, new requests follow; a request
    filed before keeps its payer."""
    old = GuardianshipRequestFactory(track_codes=(CRIMINAL_INVESTIGATION,))
    assert old.payer.slug == STATE
    other = Organisation.objects.create(
        kind=OrganisationKind.STATE_AGENCY, name="Oikeusministeriö", slug="om-test"
    )
    etl = track(CRIMINAL_INVESTIGATION)
    client.force_login(superuser)
    change = reverse("admin:guardianship_legaltrack_change", args=[etl.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(
        payer=other.pk,
        applicant_kinds=etl.applicant_kinds,
        end_conditions=etl.end_conditions,
        records_investigation="on",
        is_active="on",
    )
    assert client.post(change, data).status_code == 302
    assert track(CRIMINAL_INVESTIGATION).payer == other
    client.force_login(sw_pori)
    assert file(client, CRIMINAL_INVESTIGATION, **INVESTIGATION).status_code == 302
    assert GuardianshipRequest.objects.latest("pk").payer == other
    old.refresh_from_db()
    assert old.payer.slug == STATE


def test_a_track_without_an_applicant_or_an_end_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    etl = track(CRIMINAL_INVESTIGATION)
    for field, value in (("applicant_kinds", []), ("end_conditions", ["whenever"])):
        with pytest.raises(IntegrityError), transaction.atomic():
            LegalTrack.objects.filter(pk=etl.pk).update(**{field: value})


def test_payer_of_takes_the_first_track_in_order():
    both = [track(CRIMINAL_INVESTIGATION), track(CHILD_WELFARE)]
    assert payer_of(both).slug == COUNTY
    assert payer_of([track(CRIMINAL_INVESTIGATION)]).slug == STATE
    assert payer_of([]) is None


def test_a_request_without_a_track_cannot_be_submitted(sw_pori):
    draft = GuardianshipRequestFactory(state=State.DRAFT, submitted_at=None, created_by=sw_pori)
    RequestTrack.objects.filter(request=draft).delete()
    with pytest.raises(WorkflowError, match="oikeudellinen peruste"):
        services.submit_request(draft, by=sw_pori)


# --- The day the mandate ends at the latest ----------------------------------------------


def test_eighteenth_birthday():
    assert eighteenth_birthday(datetime.date(2010, 5, 4)) == datetime.date(2028, 5, 4)
    # Born on 29 February: 28 February of a common year, so a reminder is never late.
    assert eighteenth_birthday(datetime.date(2008, 2, 29)) == datetime.date(2026, 2, 28)
    assert eighteenth_birthday(datetime.date(2012, 2, 29)) == datetime.date(2030, 2, 28)


@time_machine.travel(datetime.datetime(2026, 6, 15, 12, 0), tick=False)
def test_the_mandate_ends_when_the_oldest_sibling_turns_18(sw):
    data = request_form_data(
        **{
            # 1.1.2015 and 15.3.2017 by their identity codes; a third by the date of birth.
            "children-TOTAL_FORMS": "3",
            "children-2-first_name": "Kalle",
            "children-2-last_name": "Saloranta",
            "children-2-date_of_birth": "2012-09-30",
            "children-2-home_municipality": Organisation.objects.get(slug="pori").pk,
            "children-2-mother_tongue": "fi",
        }
    )
    assert sw.post(NEW, data).status_code == 302
    created = GuardianshipRequest.objects.get()
    assert created.mandate_ends_on == datetime.date(2030, 9, 30)
    page = sw.get(created.get_absolute_url()).content.decode()
    assert "Tehtävä päättyy viimeistään" in page and "30.9.2030" in page


def test_the_order_may_give_its_own_end_date(coordinator):
    request = GuardianshipRequestFactory(
        state=State.APPLICATION_FILED, application_filed_on=datetime.date(2026, 3, 1), children=0
    )
    ChildFactory(request=request, date_of_birth=datetime.date(2012, 4, 2))
    AssignmentFactory(request=request, status=AssignmentStatus.ACTIVE)
    fields = {"court": "", "decision_date": datetime.date(2026, 3, 10), "case_number": "H 26/9"}
    services.record_appointment(request, by=coordinator, **fields)
    request.refresh_from_db()
    assert request.mandate_ends_on == datetime.date(2030, 4, 2)
    request.state = State.APPLICATION_FILED
    request.save()
    services.record_appointment(
        request,
        by=coordinator,
        **fields,
        end_condition=EndCondition.CRIMINAL_CASE_ENDS,
        mandate_ends_on=datetime.date(2027, 1, 31),
    )
    request.refresh_from_db()
    assert request.mandate_ends_on == datetime.date(2027, 1, 31)


def test_no_end_is_guessed_where_no_track_ends_at_18(coordinator):
    request = GuardianshipRequestFactory(children=0)
    ChildFactory(request=request, date_of_birth=datetime.date(2012, 4, 2))
    assert services.mandate_end(request) == datetime.date(2030, 4, 2)
    LegalTrack.objects.update(end_conditions=[EndCondition.MATTER_RESOLVED])
    assert services.mandate_end(request) is None
    # Unless the order itself says so.
    assert services.mandate_end(request, end_condition=EndCondition.AGE_OF_MAJORITY) == (
        datetime.date(2030, 4, 2)
    )


def test_the_guardians_list_shows_when_the_mandate_ends(client, guardian_user):
    guardian = GuardianFactory(user=guardian_user)
    AssignmentFactory(
        appointed=True, guardian=guardian, request__mandate_ends_on=datetime.date(2031, 5, 6)
    )
    client.force_login(guardian_user)
    page = client.get(reverse("guardianship:my_assignments")).content.decode()
    assert "tehtävä päättyy viimeistään 6.5.2031" in page


# --- Need to know and retention -----------------------------------------------------------


def test_retention_erases_the_investigations_personal_details():
    request = GuardianshipRequestFactory(
        state=State.ENDED,
        track_codes=(CRIMINAL_INVESTIGATION,),
        mandate_scope="Puhevalta rikosasiassa, jossa epäiltynä isä.",
        **INVESTIGATION,
    )
    anonymise([request.pk])
    request.refresh_from_db()
    assert request.police_report_number == ""
    assert request.investigation_applicant_name == ""
    assert request.investigation_applicant_contact == ""
    assert request.mandate_scope == ""
    # What is no one's personal data stays, as the statistics' facts do.
    assert request.investigating_unit == INVESTIGATION["investigating_unit"]
    assert request.tracks.get().code == CRIMINAL_INVESTIGATION
