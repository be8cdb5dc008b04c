"""What a guardian sees of a request in each phase of their assignment (issue 13, part 2).

One test per phase lists the fields visible and hidden: it reads the same mapping the
views obey (`guardianship.policies.GUARDIAN_FIELDS`) and asserts, for every field the
request page can show (`REQUEST_FIELDS`), that its value is in the rendered page exactly
when the phase may see it. Proposed: enough to decide and to check a conflict of
interest. Appointed: what the mandate needs. Ended: the request is gone; what a late fee
claim needs stays for GUARDIAN_ENDED_CLAIM_MONTHS, then that is gone too.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext

from accounts.factories import make_user
from accounts.roles import Role
from common.exceptions import WorkflowError
from common.retention import months_ago
from fees import policies as fee_policies
from fees import services as claim_services
from fees.factories import PayeeFactory
from fees.models import FeeClaim
from guardianship import languages, policies, services
from guardianship.enums import (
    AssignmentStatus,
    EndCondition,
    EventKind,
    InvestigationApplicant,
    Matter,
    State,
    StepName,
    Urgency,
)
from guardianship.factories import (
    ChildFactory,
    CustodianFactory,
    GuardianFactory,
    GuardianshipRequestFactory,
)
from guardianship.models import Assignment, RequestEvent
from guardianship.models.requests import birth_date_of
from guardianship.models.tracks import CHILD_WELFARE, CRIMINAL_INVESTIGATION
from guardianship.policies import APPOINTED, ENDED, GUARDIAN_FIELDS, PROPOSED, REQUEST_FIELDS
from municipalities.models import Organisation

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
TODAY = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=HELSINKI)
DECLINE_REASON = "Ei ehdi syksyllä (testi)."
PRIVATE_NOTE = "Sisäinen havainto huoltajista (testi)."
NOTE_FOR_GUARDIAN = "Viesti edunvalvojalle: tapaaminen sovittu (testi)."
GUARDIANS_NOTE = "Edunvalvojan oma merkintä (testi)."
STEP_REASON = "Edellinen ehdotus raukesi (testi)."


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fixed_names(coordinator, sw_pori, guardian_user):
    """The signed-in people's names are on every page (header, timeline): random ones
    could be a child's first name that a phase must not show."""
    for user, (first, last) in (
        (coordinator, ("Testi", "Koordinaattori")),
        (sw_pori, ("Testi", "Työntekijä")),
        (guardian_user, ("Testi", "Käyttäjä")),
    ):
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])


def org(slug):
    return Organisation.objects.get(slug=slug)


def short_date(value):
    with translation.override("fi"):
        return formats.date_format(value, "SHORT_DATE_FORMAT")


def at(*args):
    return datetime.datetime(*args, tzinfo=HELSINKI)


class Case:
    """A request for two siblings with a value in every field, another guardian's
    declined proposal, the authorities' notes, and the signed-in guardian in `phase`."""

    def __init__(self, phase, guardian_user, coordinator, sw_pori):
        self.sibling = GuardianshipRequestFactory()
        state = {PROPOSED: State.PROPOSED, APPOINTED: State.APPOINTED, ENDED: State.ENDED}[phase]
        self.request = request = GuardianshipRequestFactory(
            state=state,
            # The county's Pori team's request, paid (unusually) by Pori, so that the
            # requesting organisation and the payer have names of their own.
            payer=org("pori"),
            worker_name="Sanna Sosiaalityöntekijä",
            worker_phone="040 111 2222",
            worker_email="sanna.sos@example.invalid",
            custodian_notes="Tavoitettavissa iltaisin (testi).",
            conflict_reason="Huoltajien etu on ristiriidassa (testi).",
            matter=Matter.CARE_ORDER,
            matter_details="Sijoituksen jatkaminen (testi)",
            urgency=Urgency.URGENT,
            deadline=datetime.date(2026, 7, 20),
            hearing_date=datetime.date(2026, 8, 5),
            wants_lawyer=True,
            sibling_request=self.sibling,
            submitted_at=at(2026, 3, 2, 9, 15),
            # Set in every phase, as after a reassignment, so that hiding them is tested.
            court="Testikylän käräjäoikeus",
            decision_date=datetime.date(2026, 4, 10),
            case_number="H 26/4321",
            ended_on=datetime.date(2026, 5, 31) if phase == ENDED else None,
            # Both legal tracks (issue 14), with the criminal investigation's details and
            # the rest of the appointment order.
            track_codes=(CHILD_WELFARE, CRIMINAL_INVESTIGATION),
            police_report_number="5600/R/4321/26",
            investigating_unit="Testikylän poliisilaitos, rikostutkinta",
            investigation_applicant=InvestigationApplicant.PROSECUTOR,
            investigation_applicant_name="Syyttäjä Sakari Testinen",
            investigation_applicant_organisation="Testikylän syyttäjäalue",
            investigation_applicant_contact="029 123 4567",
            final_on=datetime.date(2026, 5, 12),
            interim_order=True,
            mandate_scope="Lapsen puhevalta huostaanottoasiassa (testi).",
            end_condition=EndCondition.MATTER_RESOLVED,
            mandate_ends_on=datetime.date(2033, 1, 1),
            children=0,
        )
        rauma = org("rauma")
        ChildFactory(
            request=request,
            first_name="Ilmatar",
            last_name="Kalevalainen",
            identity_code="010115A998H",
            date_of_birth=None,
            home_municipality=rauma,
            mother_tongue="sv",
            placement="Perhekoti Kuusikko",
            child_view="Haluaa asua perhekodissa (testi).",
        )
        ChildFactory(
            request=request,
            first_name="Väinö",
            last_name="Kalevalainen",
            date_of_birth=datetime.date(2018, 3, 15),
            home_municipality=rauma,
            mother_tongue="sv",
        )
        # The custodian, who on the criminal-investigation track is also the suspect.
        CustodianFactory(
            request=request,
            name="Maija Mallikas",
            phone="050 765 4321",
            affected_by_conflict=True,
            suspect=True,
        )
        self.other = GuardianFactory(first_name="Olli", last_name="Toinen")
        declined = Assignment.objects.create(
            request=request,
            guardian=self.other,
            proposed_by=coordinator,
            status=AssignmentStatus.DECLINED,
            decline_reason=DECLINE_REASON,
            proposed_at=at(2026, 3, 3, 10, 0),
        )
        self.guardian = GuardianFactory(
            user=guardian_user, first_name="Gerda", last_name="Holvikivi", phone="044 987 6543"
        )
        # The coordinator's work phone: whom a proposed guardian asks (issue 16, part 3).
        self.coordinator = coordinator
        coordinator.phone = "02 9555 0101"
        coordinator.save(update_fields=["phone"])
        PayeeFactory(guardian=self.guardian)  # a claim needs the payee details
        status = {
            PROPOSED: AssignmentStatus.PROPOSED,
            APPOINTED: AssignmentStatus.ACTIVE,
            ENDED: AssignmentStatus.ENDED,
        }[phase]
        self.assignment = own = Assignment.objects.create(
            request=request,
            guardian=self.guardian,
            proposed_by=coordinator,
            status=status,
            proposed_at=at(2026, 3, 10, 10, 0),
            started_at=None if phase == PROPOSED else at(2026, 3, 20, 10, 0),
            ended_at=at(2026, 6, 1, 10, 0) if phase == ENDED else None,
        )

        def step(action, assignment=None, text=""):
            RequestEvent.objects.create(
                request=request,
                kind=EventKind.STEP,
                action=action,
                actor=coordinator,
                assignment=assignment,
                text=text,
            )

        def note(text, by, for_guardian=False):
            RequestEvent.objects.create(
                request=request, kind=EventKind.NOTE, actor=by, text=text, for_guardian=for_guardian
            )

        step(StepName.START_SEARCH)
        step(StepName.PROPOSE, declined)
        step(StepName.DECLINE, declined, DECLINE_REASON)
        step(StepName.PROPOSE, own, STEP_REASON)
        note(PRIVATE_NOTE, coordinator)
        note(NOTE_FOR_GUARDIAN, sw_pori, for_guardian=True)
        if phase != PROPOSED:
            step(StepName.ACCEPT, own)
            note(GUARDIANS_NOTE, guardian_user, for_guardian=True)

    def values(self):
        """{field of REQUEST_FIELDS: its text (or texts) on a page}; None where the request
        has nothing to show, which no page can then be tested for."""
        r, own = self.request, self.assignment
        with translation.override("fi"):
            labels = {
                "state": r.get_state_display(),
                "urgency": gettext("Urgent"),
                "matter": r.get_matter_display(),
                "background": gettext("a lawyer"),
                "languages": languages.name("sv"),
                "suspect": gettext("suspected of the offence"),
                "history": gettext(
                    "Recorded by the database itself; it cannot be changed afterwards."
                ),
                "applicant": str(InvestigationApplicant.PROSECUTOR.label),
                "end_condition": str(EndCondition.MATTER_RESOLVED.label),
            }
        return {
            "reference": r.reference,
            "state": labels["state"],
            "urgency": labels["urgency"],
            "organisation": r.organisation.display_name,
            "worker_contacts": ("040 111 2222", "sanna.sos@example.invalid"),
            "matter": labels["matter"],
            "matter_details": "Sijoituksen jatkaminen (testi)",
            "deadline": short_date(r.deadline),
            "hearing_date": short_date(r.hearing_date),
            "background": labels["background"],
            "legal_tracks": ("Lastensuojelu (LSL 22 §)", "Esitutkinta (ETL 4:8)"),
            "payer": r.payer.display_name,
            "investigation": ("5600/R/4321/26", "Testikylän poliisilaitos, rikostutkinta"),
            "investigation_applicant": (
                labels["applicant"],
                "Syyttäjä Sakari Testinen",
                "Testikylän syyttäjäalue",
                "029 123 4567",
            ),
            "sibling_request": self.sibling.reference,
            "submitted_at": "2.3.2026 9.15",
            "court": "Testikylän käräjäoikeus",
            "decision": short_date(r.decision_date),
            "case_number": "H 26/4321",
            "appointment_order": (
                short_date(r.final_on),
                "Lapsen puhevalta huostaanottoasiassa (testi).",
                labels["end_condition"],
            ),
            "mandate_ends_on": short_date(r.mandate_ends_on),
            # Whom to ask, the serving guardian's contacts, the day to answer by (issue 16).
            "coordinator_contacts": ("02 9555 0101", self.coordinator.email),
            "guardian_contacts": "044 987 6543",
            "answer_by": "17.3.2026" if own.status == AssignmentStatus.PROPOSED else None,
            "ended_on": short_date(r.ended_on) if r.ended_on else None,
            "child_first_names": ("Ilmatar", "Väinö"),
            "child_last_names": "Kalevalainen",
            "child_ages": ("11 v.", "8 v."),
            "identity_codes": ("010115A", "15.3.2018"),
            "home_municipality": org("rauma").display_name,
            "child_languages": labels["languages"],
            "placement": "Perhekoti Kuusikko",
            "child_view": "Haluaa asua perhekodissa (testi).",
            "custodian_names": "Maija Mallikas",
            "custodians": ("050 765 4321", "Tavoitettavissa iltaisin (testi)."),
            "custodian_conflict": labels["suspect"],
            "conflict_reason": "Huoltajien etu on ristiriidassa (testi).",
            "guardian": self.guardian.full_name,
            "assignment_period": (
                (short_date(own.started_at.date()),)
                + ((short_date(own.ended_at.date()),) if own.ended_at else ())
                if own.started_at
                else None
            ),
            "assignments": self.other.full_name,
            "decline_reasons": DECLINE_REASON,
            "timeline": '<ol class="timeline">',
            "notes": NOTE_FOR_GUARDIAN,
            "history": labels["history"],
        }


def assert_shows_exactly(pages, fields, values):
    """Every field's value is on the pages when `fields` has it, and nowhere when not."""
    assert set(values) == REQUEST_FIELDS  # the test covers every field there is
    for name in sorted(REQUEST_FIELDS):
        value = values[name]
        if value is None:
            continue
        texts = value if isinstance(value, tuple) else (value,)
        for page in pages:
            for text in texts:
                if name in fields:
                    assert text in page, f"{name} ({text!r}) should be shown"
                else:
                    assert text not in page, f"{name} ({text!r}) should be hidden"


@pytest.fixture
def make_case(guardian_user, coordinator, sw_pori):
    return lambda phase: Case(phase, guardian_user, coordinator, sw_pori)


def page_of(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


# --- One test per phase: the fields visible and hidden ----------------------------------


def test_a_proposed_guardian_sees_enough_to_decide_and_to_check_a_conflict_of_interest(
    client, make_case, guardian_user
):
    case = make_case(PROPOSED)
    assert policies.guardian_phase(guardian_user, case.request) == PROPOSED
    response = page_of(client, guardian_user, case.request.get_absolute_url())
    assert response.context["visible"] == GUARDIAN_FIELDS[PROPOSED]
    page = response.content.decode()

    assert_shows_exactly([page], GUARDIAN_FIELDS[PROPOSED], case.values())
    assert GUARDIAN_FIELDS[PROPOSED] == {
        "reference",
        "state",
        "urgency",
        "organisation",
        "coordinator_contacts",
        "answer_by",
        "matter",
        "legal_tracks",
        "hearing_date",
        "background",
        "child_first_names",
        "child_ages",
        "home_municipality",
        "child_languages",
        "custodian_names",
        "guardian",
    }
    # No identity code, contacts, conflict reason, placement, notes, or other guardians'
    # answers; and no note to write. Nothing of the criminal investigation (issue 14).
    for text in (PRIVATE_NOTE, NOTE_FOR_GUARDIAN, STEP_REASON, DECLINE_REASON, "010115A998H"):
        assert text not in page
    assert response.context["note_form"] is None
    assert reverse("guardianship:request_note", args=[case.request.uuid]) not in page

    # Their own page shows the proposal the same way: first names and ages.
    cases = page_of(client, guardian_user, reverse("guardianship:my_assignments"))
    text = cases.content.decode()
    assert "Ilmatar" in text and "11 v." in text and "Kalevalainen" not in text
    # So does the request list.
    listed = page_of(client, guardian_user, reverse("guardianship:request_list"))
    assert "Ilmatar (11 v.), Väinö (8 v.)" in listed.content.decode()
    assert "Kalevalainen" not in listed.content.decode()


def test_an_appointed_guardian_sees_what_the_mandate_needs(
    client, make_case, guardian_user, coordinator
):
    case = make_case(APPOINTED)
    assert policies.guardian_phase(guardian_user, case.request) == APPOINTED
    response = page_of(client, guardian_user, case.request.get_absolute_url())
    assert response.context["visible"] == GUARDIAN_FIELDS[APPOINTED]
    page = response.content.decode()

    assert_shows_exactly([page], GUARDIAN_FIELDS[APPOINTED], case.values())
    assert GUARDIAN_FIELDS[APPOINTED] - GUARDIAN_FIELDS[PROPOSED] == {
        "worker_contacts",
        "matter_details",
        "deadline",
        "payer",
        "investigation",
        "investigation_applicant",
        "submitted_at",
        "court",
        "decision",
        "case_number",
        "appointment_order",
        "mandate_ends_on",
        "ended_on",
        "child_last_names",
        "identity_codes",
        "placement",
        "child_view",
        "custodians",
        "custodian_conflict",
        "conflict_reason",
        "assignment_period",
        "timeline",
        "notes",
    }
    assert REQUEST_FIELDS - GUARDIAN_FIELDS[APPOINTED] == {
        "sibling_request",
        "guardian_contacts",
        "assignments",
        "decline_reasons",
        "history",
    }
    # The notes meant for the guardian and their own; not the authorities' own notes, nor
    # the reasons given with steps, nor another guardian's proposal.
    assert NOTE_FOR_GUARDIAN in page and GUARDIANS_NOTE in page
    assert PRIVATE_NOTE not in page and STEP_REASON not in page and DECLINE_REASON not in page
    events = response.context["events"]
    assert all(e.assignment_id in (None, case.assignment.pk) for e in events)
    # They may write a note, always meant for the guardian: no box to tick.
    form = response.context["note_form"]
    assert form is not None and "for_guardian" not in form.fields

    # The coordinator sees everything of the same request.
    coordinator_page = page_of(client, coordinator, case.request.get_absolute_url())
    assert coordinator_page.context["visible"] == REQUEST_FIELDS
    for text in (PRIVATE_NOTE, DECLINE_REASON, "Olli Toinen", case.sibling.reference):
        assert text in coordinator_page.content.decode()


def ended_pages(client, case, user):
    """The ended guardian's own cases page and the claim form of the ended case."""
    cases = page_of(client, user, reverse("guardianship:my_assignments"))
    form = page_of(client, user, reverse("fees:claim_create", args=[case.assignment.uuid]))
    return cases, form


def test_an_ended_guardian_keeps_only_what_a_late_fee_claim_needs(
    client, make_case, guardian_user, settings
):
    settings.GUARDIAN_ENDED_CLAIM_MONTHS = 12
    case = make_case(ENDED)
    assert policies.guardian_phase(guardian_user, case.request) == ENDED
    client.force_login(guardian_user)
    # The request is gone: no page, not in the list, not among the cases.
    assert client.get(case.request.get_absolute_url()).status_code == 404
    listed = client.get(reverse("guardianship:request_list"), {"state": "all"})
    assert list(listed.context["requests"]) == []

    cases, form = ended_pages(client, case, guardian_user)
    assert [a.pk for a in cases.context["ended"]] == [case.assignment.pk]
    assert not cases.context["proposals"] and not cases.context["active"]
    assert GUARDIAN_FIELDS[ENDED] == {"reference", "assignment_period", "case_number"}
    values = case.values()
    # The period the ended guardian served, with what the claim needs and nothing else.
    assert values["assignment_period"] == ("20.3.2026", "1.6.2026")
    pages = [cases.content.decode(), form.content.decode()]
    assert_shows_exactly(pages, GUARDIAN_FIELDS[ENDED], values)
    assert reverse("fees:claim_create", args=[case.assignment.uuid]) in pages[0]

    # The late claim itself goes through.
    response = client.post(
        reverse("fees:claim_create", args=[case.assignment.uuid]),
        {
            "period_start": "2026-03-20",
            "period_end": "2026-05-31",
            "hours": "4",
            "fee": "300.00",
            "idempotency_key": "3d1f0a52-7c4e-4b9a-a6e8-5f2c0d9b1e47",
            "expenses-TOTAL_FORMS": "0",
            "expenses-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    claim = FeeClaim.objects.get()
    assert claim.assignment == case.assignment
    # Its page does not name the children to the former guardian.
    detail = page_of(client, guardian_user, claim.get_absolute_url()).content.decode()
    assert "Ilmatar" not in detail and "Kalevalainen" not in detail
    assert "H 26/4321" in detail


def test_after_the_claim_window_nothing_of_an_ended_case_is_left(
    client, make_case, guardian_user, settings
):
    settings.GUARDIAN_ENDED_CLAIM_MONTHS = 12
    case = make_case(ENDED)
    # 12 months after the assignment ended (1 June 2026), plus a day.
    with time_machine.travel(at(2027, 6, 2, 12, 0), tick=False):
        client.force_login(guardian_user)
        cases = page_of(client, guardian_user, reverse("guardianship:my_assignments"))
        assert not cases.context["ended"]
        assert_shows_exactly([cases.content.decode()], frozenset(), case.values())
        url = reverse("fees:claim_create", args=[case.assignment.uuid])
        assert client.get(url).status_code == 404
        with pytest.raises(WorkflowError):
            claim_services.submit_claim(
                case.assignment,
                by=guardian_user,
                period_start=datetime.date(2026, 3, 20),
                period_end=datetime.date(2026, 5, 31),
                hours=4,
                fee=300,
            )
    assert not FeeClaim.objects.exists()
    # The day before, the claim was still possible.
    with time_machine.travel(at(2027, 5, 31, 12, 0), tick=False):
        assert case.assignment in fee_policies.claimable_assignments(guardian_user)


def test_the_claim_window_is_a_setting(make_case, guardian_user, settings):
    case = make_case(ENDED)  # ended 1 June 2026; today is 15 June
    settings.GUARDIAN_ENDED_CLAIM_MONTHS = 0
    assert case.assignment not in fee_policies.claimable_assignments(guardian_user)
    settings.GUARDIAN_ENDED_CLAIM_MONTHS = 1
    assert case.assignment in fee_policies.claimable_assignments(guardian_user)


# --- A declining guardian's reason is the coordinators' only ------------------------------


def test_a_decline_reason_is_shown_to_coordinators_only(
    client, coordinator, sw_pori, guardian_user, sent_mail
):
    coordinator.email = "coordinator@pikassos.example.invalid"
    coordinator.save()
    request = GuardianshipRequestFactory(state=State.SEARCHING)
    first_user = make_user(Role.GUARDIAN, username="first-guardian")
    first = GuardianFactory(user=first_user, first_name="Olli", last_name="Toinen")
    proposal = services.propose_guardian(request, first, by=coordinator)
    services.decline_proposal(proposal, by=first_user, reason=DECLINE_REASON)
    mails = list(sent_mail())
    # The later guardian, proposed after the decline.
    later = GuardianFactory(user=guardian_user)
    services.propose_guardian(request, later, by=coordinator)

    url = request.get_absolute_url()
    worker_page = page_of(client, sw_pori, url).content.decode()
    assert "Olli Toinen" in worker_page  # the proposal and its answer, without the reason
    assert DECLINE_REASON not in worker_page
    assert DECLINE_REASON not in page_of(client, guardian_user, url).content.decode()
    coordinator_page = page_of(client, coordinator, url).content.decode()
    assert coordinator_page.count(DECLINE_REASON) == 2  # the proposals and the timeline
    guardian_page = page_of(client, coordinator, first.get_absolute_url()).content.decode()
    assert DECLINE_REASON in guardian_page
    # The e-mail about the decline goes to the coordinators and carries no reason.
    declined = [m for m in mails if request.reference in m.subject][-1]
    assert declined.to == ["coordinator@pikassos.example.invalid"]
    assert all(DECLINE_REASON not in m.subject + m.body for m in mails)


# --- Notes ---------------------------------------------------------------------------------


def test_notes_reach_the_guardian_when_meant_for_them(client, make_case, guardian_user, sw_pori):
    case = make_case(APPOINTED)
    url = reverse("guardianship:request_note", args=[case.request.uuid])
    client.force_login(sw_pori)
    form = client.get(case.request.get_absolute_url()).context["note_form"]
    assert "for_guardian" in form.fields
    client.post(url, {"text": "Vain viranomaisille (testi)."})
    client.post(url, {"text": "Myös edunvalvojalle (testi).", "for_guardian": "on"})
    client.force_login(guardian_user)
    client.post(url, {"text": "Edunvalvojalta (testi).", "for_guardian": ""})
    notes = dict(
        RequestEvent.objects.filter(request=case.request, actor__in=[sw_pori, guardian_user])
        .exclude(text__in=[NOTE_FOR_GUARDIAN, GUARDIANS_NOTE])
        .values_list("text", "for_guardian")
    )
    assert notes == {
        "Vain viranomaisille (testi).": False,
        "Myös edunvalvojalle (testi).": True,
        # A guardian's own note is always meant for the guardian too.
        "Edunvalvojalta (testi).": True,
    }
    page = client.get(case.request.get_absolute_url()).content.decode()
    assert "Myös edunvalvojalle (testi)." in page and "Edunvalvojalta (testi)." in page
    assert "Vain viranomaisille (testi)." not in page


def test_an_ended_guardian_cannot_add_a_note(client, make_case, guardian_user):
    case = make_case(ENDED)
    before = case.request.events.count()
    client.force_login(guardian_user)
    url = reverse("guardianship:request_note", args=[case.request.uuid])
    # A note from a page loaded before the case ended: told so on their own cases' page,
    # not a 404 (issue 16, part 4); nothing is written.
    response = client.post(url, {"text": "Vielä yksi asia."}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("guardianship:my_assignments")
    assert [str(m) for m in response.context["messages"]] == [
        "Pyyntö on muuttunut sillä välin, eikä se ole enää sinun käsiteltävänäsi. "
        "Mitään ei tallennettu."
    ]
    assert "Mitään ei tallennettu." in response.content.decode()
    with pytest.raises(WorkflowError):
        services.add_note(case.request, by=guardian_user, text="Vielä yksi asia.")
    assert case.request.events.count() == before


def test_a_proposed_guardian_cannot_add_a_note(make_case, guardian_user):
    case = make_case(PROPOSED)
    with pytest.raises(WorkflowError):
        services.add_note(case.request, by=guardian_user, text="Kysymys ennen vastausta.")


# --- The policy itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "phase"),
    [
        ([AssignmentStatus.PROPOSED], PROPOSED),
        ([AssignmentStatus.ACTIVE], APPOINTED),
        ([AssignmentStatus.ENDED], ENDED),
        ([AssignmentStatus.DECLINED], None),
        ([AssignmentStatus.WITHDRAWN], None),
        ([], None),
        # Reassigned away and proposed again: the present part wins.
        ([AssignmentStatus.ENDED, AssignmentStatus.PROPOSED], PROPOSED),
    ],
)
def test_guardian_phase(statuses, phase, guardian_user, coordinator):
    guardian = GuardianFactory(user=guardian_user)
    request = GuardianshipRequestFactory()
    for status in statuses:
        Assignment.objects.create(
            request=request,
            guardian=guardian,
            status=status,
            proposed_by=coordinator,
            decline_reason="Ei." if status == AssignmentStatus.DECLINED else "",
        )
    assert policies.guardian_phase(guardian_user, request) == phase
    assert policies.request_fields(guardian_user, request) == GUARDIAN_FIELDS.get(
        phase, frozenset()
    )
    assert policies.guardian_phase(coordinator, request) is None


def test_the_phases_fields_are_request_fields():
    for phase, fields in GUARDIAN_FIELDS.items():
        assert fields <= REQUEST_FIELDS, phase
    assert "decline_reasons" not in set().union(*GUARDIAN_FIELDS.values())


def test_a_social_worker_sees_everything_but_decline_reasons(sw_pori, coordinator, sw_rauma):
    request = GuardianshipRequestFactory()
    assert policies.request_fields(coordinator, request) == REQUEST_FIELDS
    assert policies.request_fields(sw_pori, request) == REQUEST_FIELDS - {"decline_reasons"}
    assert policies.request_fields(sw_rauma, request) == frozenset()


def test_a_childs_age_comes_from_the_birth_date_or_the_identity_code():
    child = ChildFactory.build(identity_code="010115A998H", date_of_birth=None)
    assert child.birth_date == datetime.date(2015, 1, 1)
    assert child.age == 11
    assert ChildFactory.build(date_of_birth=datetime.date(2018, 6, 15)).age == 8
    assert ChildFactory.build(date_of_birth=datetime.date(2018, 6, 16)).age == 7
    assert birth_date_of("") is None
    assert birth_date_of("311299-999X") == datetime.date(1999, 12, 31)
    assert birth_date_of("010100+123A") == datetime.date(1800, 1, 1)


def test_months_ago_keeps_the_day_or_takes_the_months_last():
    assert months_ago(12, at(2026, 6, 15, 12, 0)) == at(2025, 6, 15, 12, 0)
    assert months_ago(1, at(2026, 3, 31, 12, 0)) == at(2026, 2, 28, 12, 0)
    assert months_ago(12, at(2028, 2, 29, 12, 0)) == at(2027, 2, 28, 12, 0)
    assert months_ago(14, at(2026, 1, 10, 12, 0)) == at(2024, 11, 10, 12, 0)
