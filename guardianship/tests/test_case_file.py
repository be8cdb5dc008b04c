"""The request's page as a case file (issue 16, part 3): the header with its state, urgency
while open, next deadline and the people involved with the contacts each role may see;
the next steps named by their action; one timeline in words; the past guardian of an
ended request; and the facts on the guardian's proposal card."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import make_user
from accounts.roles import Role
from guardianship.enums import AccessAction, AssignmentStatus, State, StepName, Urgency
from guardianship.factories import (
    AssignmentFactory,
    GuardianFactory,
    GuardianshipRequestFactory,
)
from guardianship.models import AccessLog, GuardianshipRequest
from guardianship.steps import STEPS

pytestmark = pytest.mark.django_db

GUARDIAN_PHONE = "044 321 9876"
GUARDIAN_EMAIL = "gerda.h@example.invalid"
COORDINATOR_PHONE = "02 9555 0102"


@pytest.fixture
def guardian(guardian_user):
    return GuardianFactory(
        user=guardian_user,
        first_name="Gerda",
        last_name="Holvikivi",
        phone=GUARDIAN_PHONE,
        email=GUARDIAN_EMAIL,
    )


@pytest.fixture
def proposer(coordinator):
    coordinator.first_name, coordinator.last_name = "Kaisa", "Koordinaattori"
    coordinator.phone = COORDINATOR_PHONE
    coordinator.save()
    return coordinator


def proposed_request(guardian, proposer, **facts):
    """An urgent Pori request with `guardian` proposed by `proposer`."""
    request = GuardianshipRequestFactory(
        urgency=Urgency.URGENT, worker_phone="040 111 2222", **facts
    )
    STEPS[StepName.PROPOSE].take(request, by=proposer, data={"guardian": guardian})
    request.refresh_from_db()
    return request


def page(client, user, request):
    client.force_login(user)
    response = client.get(request.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def header(html):
    return html.split('<dl class="case-header">', 1)[1].split("</dl>", 1)[0]


# --- The header: who sees which contacts --------------------------------------------------


def test_the_coordinator_sees_the_proposed_guardians_contacts_and_who_proposed(
    client, guardian, proposer
):
    request = proposed_request(guardian, proposer)
    top = header(page(client, proposer, request))
    assert "Edunvalvojaa ehdotettu" in top  # the state
    assert "Kiireellinen" in top
    assert "Gerda Holvikivi" in top and GUARDIAN_PHONE in top and GUARDIAN_EMAIL in top
    assert "Kaisa Koordinaattori" in top and COORDINATOR_PHONE in top
    assert "040 111 2222" in top  # the social worker's phone


def test_the_social_worker_sees_the_guardians_contacts_only_after_the_consent(
    client, sw_pori, guardian, proposer
):
    request = proposed_request(guardian, proposer)
    top = header(page(client, sw_pori, request))
    assert "Gerda Holvikivi" in top
    assert GUARDIAN_PHONE not in top and GUARDIAN_EMAIL not in top

    assignment = request.assignments.get()
    STEPS[StepName.ACCEPT].take(assignment, by=proposer)
    top = header(page(client, sw_pori, request))
    assert GUARDIAN_PHONE in top and GUARDIAN_EMAIL in top
    assert f'href="mailto:{GUARDIAN_EMAIL}"' in top
    assert "Kaisa Koordinaattori" in top


def test_a_proposed_guardian_sees_whom_to_ask_and_nothing_of_the_social_workers(
    client, guardian_user, guardian, proposer
):
    request = proposed_request(guardian, proposer, worker_email="sanna.s@example.invalid")
    html = page(client, guardian_user, request)
    top = header(html)
    assert "Kaisa Koordinaattori" in top and COORDINATOR_PHONE in top
    # The social worker's contacts come with the consent (policies.GUARDIAN_FIELDS).
    assert "040 111 2222" not in html and "sanna.s@example.invalid" not in html
    # By when to answer: GUARDIANSHIP_ANSWER_DAYS after the proposal.
    answer_by = timezone.localdate() + datetime.timedelta(days=7)
    assert f"{answer_by.day}.{answer_by.month}.{answer_by.year}" in top
    # The next steps speak to them: their own answer, not a coordinator's record of it.
    assert "Hyväksy ehdotus" in html and "Kieltäydy ehdotuksesta" in html
    assert "Kirjaa edunvalvojan suostumus" not in html
    # Their page was logged as a view of the children on their basis.
    log = AccessLog.objects.filter(user=guardian_user, action=AccessAction.VIEW).get()
    assert log.basis == "proposed_guardian"


def test_the_next_deadline_is_the_nearest_date_ahead(client, coordinator):
    today = timezone.localdate()
    request = GuardianshipRequestFactory(
        deadline=today + datetime.timedelta(days=10),
        hearing_date=today + datetime.timedelta(days=3),
    )
    top = header(page(client, coordinator, request))
    hearing = today + datetime.timedelta(days=3)
    assert "Seuraava määräaika" in top
    assert f"Käsittelypäivä: <strong>{hearing.day}.{hearing.month}.{hearing.year}" in top


# --- The ended request ----------------------------------------------------------------


def test_an_ended_request_names_its_past_guardian_and_is_no_longer_urgent(
    client, sw_pori, coordinator, guardian
):
    assignment = AssignmentFactory(
        guardian=guardian,
        status=AssignmentStatus.ENDED,
        started_at=timezone.make_aware(datetime.datetime(2026, 2, 1, 10)),
        ended_at=timezone.make_aware(datetime.datetime(2026, 9, 30, 10)),
        request__state=State.ENDED,
        request__urgency=Urgency.URGENT,
        request__ended_on=datetime.date(2026, 9, 30),
    )
    for user in (coordinator, sw_pori):
        html = page(client, user, assignment.request)
        top = header(html)
        assert "Edunvalvojana toimi Gerda Holvikivi 1.2.2026–30.9.2026" in top
        assert "Edunvalvojaa ei vielä ole." not in html
        assert "Kiireellinen" not in html
        assert "Seuraava määräaika" not in top
    # The social worker can still reach the guardian who served.
    assert GUARDIAN_PHONE in header(page(client, sw_pori, assignment.request))


def test_a_cancelled_request_without_a_guardian_says_none_was_appointed(client, coordinator):
    request = GuardianshipRequestFactory(state=State.CANCELLED, urgency=Urgency.URGENT)
    html = page(client, coordinator, request)
    assert "Edunvalvojaa ei määrätty." in header(html)
    assert "Edunvalvojaa ei vielä ole." not in html and "Kiireellinen" not in html


# --- The next steps ---------------------------------------------------------------------


def test_the_steps_are_named_by_their_action_with_a_line_each_and_labelled_reasons(
    client, guardian, proposer
):
    request = proposed_request(guardian, proposer)
    html = page(client, proposer, request)
    steps = html.split('id="steps-heading"', 1)[1].split("</section>", 1)[0]
    buttons = re.findall(r'<button type="submit"[^>]*>([^<]+)<', steps)
    assert buttons == [
        "Kirjaa suostumus",
        "Kirjaa kieltäytyminen",
        "Peru ehdotus",
        "Siirrä pyyntö",
        "Peru pyyntö",
    ]
    # No button says a state ("Suostumus annettu"); each step says what follows.
    assert "Ehdotus raukeaa ja etsintä jatkuu" in steps
    assert "Pyyntö päättyy ilman edunvalvojaa" in steps
    # Every reason box is labelled for what it explains, with ids of its own.
    assert '<label for="id_decline_reason">Kieltäytymisen syy' in steps
    assert '<label for="id_cancel_reason">Perumisen syy' in steps
    assert not re.search(r"<label[^>]*>Syy\b", steps)


def test_the_end_of_an_appointed_guardianship_asks_for_its_reason_by_name(client, sw_pori):
    request = AssignmentFactory(appointed=True).request
    html = page(client, sw_pori, request)
    assert '<label for="id_reason">Päättymisen syy' in html
    assert "Edunvalvojan pääsy pyynnön tietoihin päättyy" in html


def test_a_received_request_explains_the_search_and_the_proposal(client, coordinator):
    request = GuardianshipRequestFactory()
    html = page(client, coordinator, request)
    assert "Pyyntö siirtyy edunvalvojan etsintään" in html
    assert "Voit ehdottaa heti aloittamatta ensin etsintää" in html
    assert "Valitse ehdotettava edunvalvoja" in html


# --- One timeline in words --------------------------------------------------------------


def test_the_timeline_merges_the_steps_and_the_recorded_changes_in_words(
    client, sw_pori, coordinator
):
    request = GuardianshipRequestFactory(state=State.DRAFT, submitted_at=None)
    STEPS[StepName.SUBMIT].take(request, by=sw_pori)
    STEPS[StepName.START_SEARCH].take(request, by=coordinator)
    GuardianshipRequest.objects.filter(pk=request.pk).update(court="Satakunnan käräjäoikeus")
    html = page(client, coordinator, request)
    timeline = html.split('<ol class="timeline">', 1)[1].split("</ol>\n", 1)[0]
    # Each state change once, in words, with the step that made it.
    assert timeline.count("Tila: Luonnos → Vastaanotettu") == 1
    assert timeline.count("Tila: Vastaanotettu → Edunvalvojaa etsitään") == 1
    assert "Pyyntö luotiin luonnoksena" in timeline
    # A change recorded on its own: the field's name and values, no column names.
    assert "Käräjäoikeus: – → Satakunnan käräjäoikeus" in timeline
    assert "Lähetetty: – → " in timeline  # submitted_at, as its verbose name
    for raw in ("draft", "received", "submitted_at", "state:", "court:"):
        assert raw not in timeline
    # The separate change-history table is gone; its note stays with the timeline.
    assert "Muutoshistoria" not in html
    assert "Tietokanta kirjaa tämän itse" in html
    # The social worker reads the same timeline; a guardian would see only the steps.
    assert "Tila: Luonnos → Vastaanotettu" in page(client, sw_pori, request)


# --- The guardian's proposal card -------------------------------------------------------


def test_the_proposal_card_shows_what_the_guardian_decides_by(
    client, guardian_user, guardian, proposer
):
    today = timezone.localdate()
    hearing = today + datetime.timedelta(days=20)
    deadline = today + datetime.timedelta(days=12)
    proposed_request(
        guardian,
        proposer,
        hearing_date=hearing,
        deadline=deadline,
        wants_social_work_background=True,
    )
    client.force_login(guardian_user)
    html = client.get(reverse("guardianship:my_assignments")).content.decode()
    card = html.split('<section class="proposal"', 1)[1].split("</section>", 1)[0]
    answer_by = today + datetime.timedelta(days=7)
    assert '<span class="badge badge--urgent">Kiireellinen</span>' in card
    assert f"Vastaathan viimeistään</dt><dd><strong>{answer_by.day}.{answer_by.month}." in card
    assert f"{hearing.day}.{hearing.month}.{hearing.year}" in card
    assert "sosiaalityön tausta" in card.lower()
    assert "Kaisa Koordinaattori" in card and COORDINATOR_PHONE in card
    # The request's own deadline is not the proposed guardian's (GUARDIAN_FIELDS).
    assert f"{deadline.day}.{deadline.month}.{deadline.year}" not in card


def test_the_fee_claim_link_reads_as_natural_finnish(client, guardian_user, guardian):
    assignment = AssignmentFactory(
        guardian=guardian,
        status=AssignmentStatus.ENDED,
        started_at=timezone.now() - datetime.timedelta(days=30),
        ended_at=timezone.now() - datetime.timedelta(days=1),
        request__state=State.ENDED,
        request__ended_on=timezone.localdate(),
    )
    client.force_login(guardian_user)
    html = client.get(reverse("guardianship:my_assignments")).content.decode()
    assert f"Hae palkkiota – asia {assignment.request.reference}" in html
    assert "Vaadi palkkiota" not in html


def test_a_team_leader_sees_the_guardians_contacts_after_consent_like_the_workers(
    client, guardian, proposer
):
    leader = make_user(Role.TEAM_LEADER, ["satakunnan-hyvinvointialue"], units=["Lastensuojelu"])
    request = proposed_request(guardian, proposer)
    assert GUARDIAN_PHONE not in header(page(client, leader, request))
    STEPS[StepName.ACCEPT].take(request.assignments.get(), by=proposer)
    assert GUARDIAN_PHONE in header(page(client, leader, request))
