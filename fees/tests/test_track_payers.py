"""Who pays follows the legal track (issue 14): a claim on an ETL 4:8 case goes to the
state's payer, never to the county's export."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.factories import make_user
from fees import policies
from fees import services as claim_services
from fees.factories import PayeeFactory
from guardianship import services
from guardianship.enums import InvestigationApplicant, State
from guardianship.factories import GuardianFactory
from guardianship.models import GuardianshipRequest, LegalTrack
from guardianship.models.tracks import CHILD_WELFARE, CRIMINAL_INVESTIGATION
from guardianship.tests.helpers import request_form_data

pytestmark = pytest.mark.django_db

COUNTY = "satakunnan-hyvinvointialue"
STATE = "valtio-satakunnan-karajaoikeus"
PERIOD = {"start": "2026-01-01", "end": "2026-12-31"}


def appointed_case(client, sw_pori, coordinator, guardian, codes, **fields):
    """A request filed through the form on `codes`, taken through the workflow to the
    appointment of `guardian`; its approved claim of 300 € (`fee`)."""
    client.force_login(sw_pori)
    data = request_form_data(tracks=[LegalTrack.objects.get(code=c).pk for c in codes], **fields)
    assert client.post(reverse("guardianship:request_create"), data).status_code == 302
    request = GuardianshipRequest.objects.latest("pk")
    services.start_search(request, by=coordinator)
    proposal = services.propose_guardian(request, guardian, by=coordinator)
    services.accept_proposal(proposal, by=guardian.user)
    day = datetime.date(2026, 3, 2)
    services.file_application(request, by=sw_pori, court="Satakunnan käräjäoikeus", filed_on=day)
    services.record_appointment(
        request, by=sw_pori, court="", decision_date=day, case_number=f"H 26/{request.pk}"
    )
    claim = claim_services.submit_claim(
        proposal,
        by=guardian.user,
        period_start=datetime.date(2026, 3, 2),
        period_end=datetime.date(2026, 3, 31),
        hours=Decimal("4"),
        fee=Decimal("300.00"),
        description="",
    )
    claim_services.approve_claim(claim, by=coordinator)
    request.refresh_from_db()
    return request, claim


def exported(client, user, payer_slug):
    """The answer to `user`'s CSV export of `payer_slug`'s claims, and its first column."""
    client.force_login(user)
    response = client.get(
        reverse("fees:claim_export", kwargs={"fmt": "csv"}), {"payer": payer_slug, **PERIOD}
    )
    text = response.content.decode("utf-8-sig")
    return response, [row[0] for row in csv.reader(io.StringIO(text), delimiter=";") if row]


def test_a_claim_on_an_etl_case_goes_to_the_states_payer_never_to_the_countys_export(
    client, sw_pori, coordinator, guardian_user
):
    guardian = GuardianFactory(user=guardian_user)
    PayeeFactory(guardian=guardian)
    etl, etl_claim = appointed_case(
        client,
        sw_pori,
        coordinator,
        guardian,
        [CRIMINAL_INVESTIGATION],
        police_report_number="5600/R/1/26",
        investigating_unit="Lounais-Suomen poliisilaitos",
        investigation_applicant=InvestigationApplicant.HEAD_OF_INVESTIGATION,
    )
    other = GuardianFactory(user=make_user("guardian", username="other-guardian"))
    PayeeFactory(guardian=other)
    lsl, lsl_claim = appointed_case(client, sw_pori, coordinator, other, [CHILD_WELFARE])
    assert etl.payer.slug == STATE and lsl.payer.slug == COUNTY
    assert etl.state == lsl.state == State.APPOINTED

    state_official = make_user("payer", [STATE], username="state-payer")
    county_official = make_user("payer", [COUNTY], username="county-payer")

    # The state's payer exports the ETL case's claim, and only that.
    response, rows = exported(client, state_official, STATE)
    assert response.status_code == 200
    assert etl_claim.reference in rows and lsl_claim.reference not in rows
    # The county's export never has it, whoever exports.
    for user in (county_official, coordinator):
        response, rows = exported(client, user, COUNTY)
        assert response.status_code == 200
        assert lsl_claim.reference in rows and etl_claim.reference not in rows
    # The county's official cannot ask for the state's claims, nor the state's for the
    # county's; each sees only its own approved claims.
    assert exported(client, county_official, STATE)[0].status_code == 400
    assert exported(client, state_official, COUNTY)[0].status_code == 400
    assert list(policies.claims_for(county_official)) == [lsl_claim]
    assert list(policies.claims_for(state_official)) == [etl_claim]
    assert set(policies.payers_for(coordinator).values_list("slug", flat=True)) == {COUNTY, STATE}


def test_a_case_on_both_tracks_is_paid_by_the_county(client, sw_pori, coordinator, guardian_user):
    guardian = GuardianFactory(user=guardian_user)
    PayeeFactory(guardian=guardian)
    both, claim = appointed_case(
        client,
        sw_pori,
        coordinator,
        guardian,
        [CHILD_WELFARE, CRIMINAL_INVESTIGATION],
        police_report_number="5600/R/2/26",
        investigating_unit="Lounais-Suomen poliisilaitos",
        investigation_applicant=InvestigationApplicant.PROSECUTOR,
    )
    assert both.payer.slug == COUNTY
    _, rows = exported(client, coordinator, COUNTY)
    assert claim.reference in rows
    _, rows = exported(client, coordinator, STATE)
    assert claim.reference not in rows
