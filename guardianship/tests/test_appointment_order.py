"""The appointment order as a record and the dates it is checked by (issue 14, part 2).

The order: court, case number (diaarinumero), decision date, the day it became final,
interim or not, the mandate's scope and end condition; the court's release of a replaced
guardian on the ended assignment. Dates are checked against each other and against the
request, and each error is shown next to its field, in Finnish: a decision cannot precede
the filing, the final date not the decision; a child is under 18 on the filing date; a
date of birth (given, or from the identity code) is neither in the future nor 18 or more
years back.
"""

import datetime
import re

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from common.exceptions import WorkflowError
from guardianship import services
from guardianship.enums import AssignmentStatus, EndCondition, State
from guardianship.factories import (
    AssignmentFactory,
    ChildFactory,
    GuardianFactory,
    GuardianshipRequestFactory,
)
from guardianship.models import Assignment, GuardianshipRequest
from guardianship.tests.helpers import request_form_data

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 6, 15, 12, 0)
FILED = datetime.date(2026, 5, 4)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def step_url(request, step):
    return reverse("guardianship:request_step", kwargs={"uuid": request.uuid, "step": step})


def error_next_to(page, field_id, message):
    """The field's own error block (templates/includes/field.jinja) holds `message`, and
    the input names it in aria-describedby."""
    block = f'<div id="{field_id}_error"><p class="field__error">{message}</p></div>'
    assert block in page, f"{message!r} not next to {field_id}"
    tag = re.search(rf'<[^>]*\bid="{field_id}"[^>]*>', page).group(0)
    assert f"{field_id}_error" in tag and 'aria-invalid="true"' in tag


@pytest.fixture
def filed(coordinator):
    """A request whose application was filed on 4.5.2026, for a child born 2.4.2012."""
    request = GuardianshipRequestFactory(
        state=State.APPLICATION_FILED,
        court="Satakunnan käräjäoikeus",
        application_filed_on=FILED,
        children=0,
    )
    ChildFactory(request=request, first_name="Aino", date_of_birth=datetime.date(2012, 4, 2))
    AssignmentFactory(request=request, status=AssignmentStatus.ACTIVE)
    return request


ORDER = {
    "court": "Satakunnan käräjäoikeus",
    "decision_date": "2026-05-20",
    "case_number": "H 26/1234",
    "final_on": "2026-06-12",
    "interim_order": "",
    "mandate_scope": "Lapsen puhevallan käyttö huostaanottoasiassa.",
    "end_condition": EndCondition.MATTER_RESOLVED,
    "mandate_ends_on": "",
}


# --- The order as a record ----------------------------------------------------------------


def test_the_order_is_recorded_whole(client, coordinator, filed):
    client.force_login(coordinator)
    response = client.post(step_url(filed, "record_appointment"), {**ORDER, "interim_order": "on"})
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.state == State.APPOINTED
    assert (filed.court, filed.case_number) == ("Satakunnan käräjäoikeus", "H 26/1234")
    assert filed.decision_date == datetime.date(2026, 5, 20)
    assert filed.final_on == datetime.date(2026, 6, 12)
    assert filed.interim_order is True
    assert filed.mandate_scope == "Lapsen puhevallan käyttö huostaanottoasiassa."
    assert filed.end_condition == EndCondition.MATTER_RESOLVED
    assert filed.mandate_ends_on == datetime.date(2030, 4, 2)  # Aino turns 18
    page = client.get(filed.get_absolute_url()).content.decode()
    for text in ("12.6.2026", "väliaikainen määräys", "Lastensuojeluasia ratkeaa", "2.4.2030"):
        assert text in page


def test_the_appointment_form_offers_the_tracks_court(client, coordinator, filed):
    client.force_login(coordinator)
    form = client.get(filed.get_absolute_url()).context["appointment_form"]
    assert form.initial["court"] == "Satakunnan käräjäoikeus"
    assert set(form.fields) == set(ORDER)


# --- The dates, each error next to its field, in Finnish ---------------------------------


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"decision_date": "2026-05-03"},
            "decision_date",
            "Päätös ei voi olla aiempi kuin hakemuksen jättöpäivä (4.5.2026).",
        ),
        (
            {"decision_date": "2026-06-16", "final_on": ""},
            "decision_date",
            "Päätöspäivä ei voi olla tulevaisuudessa.",
        ),
        (
            {"final_on": "2026-05-19"},
            "final_on",
            "Päätös ei voi tulla lainvoimaiseksi ennen antopäiväänsä (20.5.2026).",
        ),
        (
            {"mandate_ends_on": "2026-05-01"},
            "mandate_ends_on",
            "Tehtävä ei voi päättyä ennen päätöksen antopäivää (20.5.2026).",
        ),
    ],
)
def test_the_orders_dates_are_checked_next_to_their_fields(
    client, coordinator, filed, change, field, message
):
    client.force_login(coordinator)
    response = client.post(step_url(filed, "record_appointment"), {**ORDER, **change})
    # The request page again, the form as it was sent, the error by the field.
    assert response.status_code == 200
    form = response.context["appointment_form"]
    assert form.is_bound and list(form.errors) == [field]
    assert form.errors[field] == [message]
    error_next_to(response.content.decode(), f"id_{field}", message)
    filed.refresh_from_db()
    assert filed.state == State.APPLICATION_FILED


def test_a_decision_on_the_day_of_filing_and_final_the_same_day_is_right(coordinator, filed):
    day = FILED
    services.record_appointment(
        filed, by=coordinator, court="", decision_date=day, case_number="H 1", final_on=day
    )
    filed.refresh_from_db()
    assert filed.state == State.APPOINTED and filed.final_on == day


def test_the_service_refuses_the_dates_too(coordinator, filed):
    with pytest.raises(WorkflowError, match="aiempi kuin hakemuksen jättöpäivä"):
        services.record_appointment(
            filed,
            by=coordinator,
            court="",
            decision_date=datetime.date(2026, 5, 1),
            case_number="H 26/1",
        )
    with pytest.raises(WorkflowError, match="lainvoimaiseksi"):
        services.record_appointment(
            filed,
            by=coordinator,
            court="",
            decision_date=datetime.date(2026, 5, 20),
            case_number="H 26/1",
            final_on=datetime.date(2026, 5, 19),
        )


def test_the_database_refuses_the_dates_whatever_the_code(filed):
    rows = GuardianshipRequest.objects.filter(pk=filed.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(decision_date=datetime.date(2026, 5, 20), final_on=datetime.date(2026, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(state=State.APPOINTED, decision_date=datetime.date(2026, 5, 1))


def test_a_child_who_is_18_on_the_filing_date_stops_the_filing(client, sw_pori):
    request = GuardianshipRequestFactory(state=State.CONSENT_GIVEN, created_by=sw_pori, children=0)
    ChildFactory(request=request, first_name="Aino", date_of_birth=datetime.date(2008, 5, 10))
    ChildFactory(request=request, first_name="Eino", date_of_birth=datetime.date(2012, 1, 1))
    AssignmentFactory(request=request, status=AssignmentStatus.ACTIVE)
    client.force_login(sw_pori)
    url = step_url(request, "file_application")
    response = client.post(url, {"court": "Satakunnan käräjäoikeus", "filed_on": "2026-05-10"})
    assert response.status_code == 200
    message = (
        "Aino oli täyttänyt 18 vuotta jättöpäivään mennessä: edunvalvoja määrätään vain alle "
        "18-vuotiaalle lapselle."
    )
    error_next_to(response.content.decode(), "id_filed_on", message)
    # The day before Aino's birthday she is still 17.
    response = client.post(url, {"court": "Satakunnan käräjäoikeus", "filed_on": "2026-05-09"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == State.APPLICATION_FILED


def test_an_application_is_not_filed_on_a_future_date(client, sw_pori):
    request = GuardianshipRequestFactory(state=State.CONSENT_GIVEN, created_by=sw_pori)
    client.force_login(sw_pori)
    response = client.post(
        step_url(request, "file_application"), {"court": "X", "filed_on": "2026-06-16"}
    )
    error_next_to(
        response.content.decode(),
        "id_filed_on",
        "Hakemuksen jättöpäivä ei voi olla tulevaisuudessa.",
    )


def test_a_form_sent_by_someone_who_may_not_take_the_step_is_not_shown_again(
    client, guardian_user, filed
):
    """Someone who may see the request but not take the step gets the old message and
    redirect, never a form to fill in."""
    guardian = GuardianFactory(user=guardian_user)
    Assignment.objects.filter(request=filed).update(guardian=guardian)
    client.force_login(guardian_user)
    response = client.post(step_url(filed, "file_application"), {"filed_on": "x"})
    assert response.status_code == 302


# --- A child's date of birth on the request form ------------------------------------------

NEW = reverse("guardianship:request_create")
TOO_OLD = "Edunvalvoja määrätään vain alle 18-vuotiaalle lapselle: tarkista syntymäaika."


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        # Born tomorrow.
        (
            {"children-1-identity_code": "", "children-1-date_of_birth": "2026-06-16"},
            "id_children-1-date_of_birth",
            "Syntymäaika ei voi olla tulevaisuudessa.",
        ),
        # 18 today: too old.
        (
            {"children-1-identity_code": "", "children-1-date_of_birth": "2008-06-15"},
            "id_children-1-date_of_birth",
            TOO_OLD,
        ),
        # By the identity code: born 13.10.1952.
        ({"children-0-identity_code": "131052-308T"}, "id_children-0-identity_code", TOO_OLD),
    ],
)
def test_a_childs_birth_date_is_checked_next_to_its_field(client, sw_pori, change, field, message):
    client.force_login(sw_pori)
    response = client.post(NEW, request_form_data(**change))
    assert response.status_code == 200
    assert not GuardianshipRequest.objects.exists()
    error_next_to(response.content.decode(), field, message)


def test_a_child_who_turns_18_tomorrow_can_still_be_filed_for(client, sw_pori):
    client.force_login(sw_pori)
    data = request_form_data(
        **{"children-1-identity_code": "", "children-1-date_of_birth": "2008-06-16"}
    )
    assert client.post(NEW, data).status_code == 302


# --- The court's release of a replaced guardian ------------------------------------------


@pytest.fixture
def appointed(coordinator):
    request = GuardianshipRequestFactory(
        state=State.APPOINTED,
        application_filed_on=FILED,
        decision_date=datetime.date(2026, 5, 20),
        case_number="H 26/1234",
    )
    serving = AssignmentFactory(request=request, status=AssignmentStatus.ACTIVE)
    return request, serving


def test_the_release_of_the_replaced_guardian_is_recorded_on_the_ended_assignment(
    client, coordinator, appointed
):
    request, serving = appointed
    new = GuardianFactory(areas=list(request.children.values_list("home_municipality", flat=True)))
    client.force_login(coordinator)
    matching = client.get(reverse("guardianship:request_matching", args=[request.uuid]))
    assert 'name="released_on"' in matching.content.decode()
    response = client.post(
        step_url(request, "reassign"),
        {
            "guardian": new.uuid,
            "reason": "Esteellisyys.",
            "released_on": "2026-06-10",
            "release_decision": "H 26/2001",
        },
    )
    assert response.status_code == 302
    serving.refresh_from_db()
    assert serving.status == AssignmentStatus.ENDED
    assert serving.released_on == datetime.date(2026, 6, 10)
    assert serving.release_decision == "H 26/2001"
    page = client.get(request.get_absolute_url()).content.decode()
    assert "tuomioistuin vapauttanut 10.6.2026 (H 26/2001)" in page


def test_a_release_before_the_appointment_is_shown_next_to_its_field(
    client, coordinator, appointed
):
    request, serving = appointed
    new = GuardianFactory(areas=list(request.children.values_list("home_municipality", flat=True)))
    client.force_login(coordinator)
    response = client.post(
        step_url(request, "reassign"),
        {"guardian": new.uuid, "reason": "Esteellisyys.", "released_on": "2026-05-19"},
    )
    assert response.status_code == 200  # the matching page again
    message = "Tuomioistuin ei voi vapauttaa edunvalvojaa ennen tämän määräämistä (20.5.2026)."
    number = next(
        n for n, c in enumerate(response.context["candidates"], 1) if c.guardian.pk == new.pk
    )
    error_next_to(response.content.decode(), f"id_reassign{number}_released_on", message)
    serving.refresh_from_db()
    assert serving.status == AssignmentStatus.ACTIVE


def test_no_release_before_the_court_has_appointed(coordinator):
    request = GuardianshipRequestFactory(state=State.CONSENT_GIVEN)
    AssignmentFactory(request=request, status=AssignmentStatus.ACTIVE)
    with pytest.raises(WorkflowError, match="jätä vapauttamisen tiedot tyhjiksi"):
        services.reassign_guardian(
            request,
            GuardianFactory(),
            by=coordinator,
            reason="Muutto.",
            released_on=datetime.date(2026, 6, 1),
        )


def test_only_an_ended_assignment_has_a_release(appointed):
    _, serving = appointed
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.filter(pk=serving.pk).update(released_on=datetime.date(2026, 6, 1))
