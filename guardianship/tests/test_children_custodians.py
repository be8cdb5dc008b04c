"""Children and custodians with the facts that matter (issue 14, part 4): the age and the
right of a child of 12 to be heard, the child's view, the mother tongue and an
interpreter, the non-disclosure for personal safety (turvakielto), the custodians as rows.
"""

import datetime
import importlib
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.factories import make_user
from accounts.roles import Role
from guardianship import languages, services
from guardianship.enums import AssignmentStatus, CustodianRelation, State
from guardianship.factories import (
    AssignmentFactory,
    ChildFactory,
    CustodianFactory,
    GuardianFactory,
    GuardianshipRequestFactory,
)
from guardianship.models import Child, Custodian, GuardianshipRequest
from guardianship.models.tracks import CHILD_WELFARE, CRIMINAL_INVESTIGATION
from guardianship.tests.helpers import export_period, request_form_data

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
TODAY = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=HELSINKI)
NEW = "/guardianship/requests/new/"
HEARD = "12 vuotta täyttänyt: oikeus tulla kuulluksi (LSL 20–21 §)"
WARNING = "Turvakielto: osoitetietoja ei näytetä eikä luovuteta."
PLACEMENT = "Perhekoti Salainen, Piilotie 5, Pori"
ADDRESS = "Suojatie 9, Rauma"
PHONE = "050 999 8877"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def field_error(html, field_id):
    """The text of the error shown next to the field `field_id` (templates/includes/
    field.html: its own element, which the input names in aria-describedby)."""
    match = re.search(rf'<div id="{field_id}_error">(.*?)</div>', html, re.S)
    assert match, f"no error next to {field_id}"
    assert re.search(rf'aria-describedby="[^"]*{field_id}_error', html), "not described by it"
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip()


# --- Age and the right of a child of 12 to be heard -------------------------------------


@pytest.fixture
def siblings(sw_pori):
    """A Pori request for Iida, who turned 12 yesterday, and Eino, 11 until tomorrow."""
    request = GuardianshipRequestFactory(created_by=sw_pori, children=0)
    ChildFactory(request=request, first_name="Iida", date_of_birth=datetime.date(2014, 6, 14))
    ChildFactory(request=request, first_name="Eino", date_of_birth=datetime.date(2014, 6, 16))
    return request


def test_the_age_is_counted_today_and_a_child_of_12_has_a_right_to_be_heard(siblings):
    iida, eino = siblings.children.order_by("id")
    assert (iida.age, iida.age_label, iida.may_be_heard) == (12, "12 v.", True)
    assert (eino.age, eino.age_label, eino.may_be_heard) == (11, "11 v.", False)
    with translation.override("sv"):
        assert iida.age_label == "12 år"
    # Unknown birth date: no age, no flag.
    assert Child(first_name="X").age_label == "" and not Child(first_name="X").may_be_heard


def test_the_age_and_the_flag_are_shown_wherever_the_children_appear(
    client, siblings, sw_pori, coordinator, guardian_user
):
    siblings.state = State.SEARCHING
    siblings.save()
    detail = page(client, sw_pori, siblings.get_absolute_url())
    assert "12 v." in detail and "11 v." in detail
    assert detail.count(HEARD) == 1  # Iida's, not Eino's
    listed = page(client, sw_pori, reverse("guardianship:request_list"))
    assert "Iida" in listed and "(12 v.)" in listed and "(11 v.)" in listed
    matching = page(
        client, coordinator, reverse("guardianship:request_matching", args=[siblings.uuid])
    )
    assert "Iida (12 v.)" in matching and HEARD in matching

    # The proposed guardian: on their own page and on the request's.
    AssignmentFactory(request=siblings, guardian=GuardianFactory(user=guardian_user))
    cases = page(client, guardian_user, reverse("guardianship:my_assignments"))
    assert "Iida (12 v.)" in cases and "Eino (11 v.)" in cases and HEARD in cases
    proposed = page(client, guardian_user, siblings.get_absolute_url())
    assert "12 v." in proposed and HEARD in proposed


def test_the_childs_view_is_recorded_on_the_form_shown_to_those_who_serve_and_erased(
    client, sw_pori, coordinator
):
    data = request_form_data(**{"children-0-child_view": "Haluan asua mummolassa."})
    client.force_login(sw_pori)
    assert client.post(NEW, data).status_code == 302
    request = GuardianshipRequest.objects.get()
    aino = request.children.order_by("id").first()
    assert aino.child_view == "Haluan asua mummolassa."
    assert "Haluan asua mummolassa." in page(client, coordinator, request.get_absolute_url())
    # Personal: never in the change history, which retention could not erase.
    event_model = Child.history.rel.related_model
    assert "child_view" not in {f.name for f in event_model._meta.get_fields()}

    # A proposed guardian does not see it.
    guardian_user = make_user(Role.GUARDIAN, username="view-guardian")
    AssignmentFactory(request=request, guardian=GuardianFactory(user=guardian_user))
    assert "mummolassa" not in page(client, guardian_user, request.get_absolute_url())


def test_a_child_of_12_without_a_recorded_view_is_pointed_out(client, siblings, sw_pori):
    detail = page(client, sw_pori, siblings.get_absolute_url())
    assert "Ei kirjattu. 12 vuotta täyttäneelle on varattava tilaisuus tulla kuulluksi" in detail


# --- Mother tongue and an interpreter ---------------------------------------------------


def test_language_names_come_from_cldr_in_the_users_language():
    assert languages.name("so", "fi") == "somali"
    assert languages.name("se", "fi") == "pohjoissaame"
    assert languages.name("uk", "sv") == "ukrainska"
    assert languages.name("smn", "fi") == "inarinsaame"
    with translation.override("fi"):
        assert languages.name("fse") == "suomalainen viittomakieli"
        assert languages.name("fse", "sv") == "finskt teckenspråk"
        codes = dict(languages.choices())
    # Every ISO 639-1 language and Finland's own languages lacking a two-letter code.
    assert len(languages.ISO_639_1) == 184
    assert {"fi", "sv", "ar", "so", "ru", "uk", "fa", "smn", "sms", "fse", "fss"} <= set(codes)
    assert codes["fi"] == "suomi"
    # An unknown code shows as it is, and is refused.
    assert languages.name("xx") == "xx"
    with pytest.raises(Exception, match="ISO 639"):
        languages.validate_language_code("xx")


def test_the_mother_tongue_is_chosen_by_name_and_an_interpreter_is_flagged(
    client, sw_pori, coordinator
):
    client.force_login(sw_pori)
    form = client.get(NEW).content.decode()
    assert '<option value="so">somali</option>' in form
    data = request_form_data(
        **{"children-0-mother_tongue": "so", "children-0-interpreter_needed": "on"}
    )
    assert client.post(NEW, data).status_code == 302
    request = GuardianshipRequest.objects.get()
    aino, eino = request.children.order_by("id")
    assert (aino.mother_tongue, aino.interpreter_needed) == ("so", True)
    assert (eino.mother_tongue, eino.interpreter_needed) == ("fi", False)
    detail = page(client, coordinator, request.get_absolute_url())
    assert "somali" in detail and "tulkki tarvitaan" in detail
    # The queue's filter finds the request by the new codes.
    queue = reverse("guardianship:request_list")
    client.force_login(coordinator)
    assert [r.pk for r in client.get(queue, {"language": "so"}).context["requests"]] == [request.pk]
    assert list(client.get(queue, {"language": "ar"}).context["requests"]) == []


def test_an_unknown_mother_tongue_is_refused_next_to_its_field(client, sw_pori):
    client.force_login(sw_pori)
    response = client.post(NEW, request_form_data(**{"children-1-mother_tongue": "xx"}))
    assert response.status_code == 200
    assert "Valitse" in field_error(response.content.decode(), "id_children-1-mother_tongue")


def test_matching_asks_for_the_childrens_mother_tongues(coordinator):
    from guardianship.matching import rank_guardians

    request = GuardianshipRequestFactory(children=0, state=State.SEARCHING)
    ChildFactory(request=request, mother_tongue="sv")
    GuardianFactory(last_name="Suomi", languages=["fi"])
    GuardianFactory(last_name="Svensson", languages=["sv", "fi"])
    ranked = rank_guardians(request)
    assert [c.guardian.last_name for c in ranked] == ["Svensson", "Suomi"]
    # A mother tongue not known asks nothing of the guardian.
    request.children.update(mother_tongue="")
    assert all(c.guardian.language_match for c in rank_guardians(request))


# --- Dates and ages: errors next to the field, in Finnish -------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2026-07-01", "Syntymäaika ei voi olla tulevaisuudessa."),
        (
            "date_of_birth",
            "2008-06-15",
            "Edunvalvoja määrätään vain alle 18-vuotiaalle lapselle: tarkista syntymäaika.",
        ),
        # The identity code's own date: 18 on 1 January 2026.
        (
            "identity_code",
            "010108A998P",
            "Edunvalvoja määrätään vain alle 18-vuotiaalle lapselle: tarkista syntymäaika.",
        ),
    ],
    ids=["born-in-the-future", "turned-18", "code-of-an-adult"],
)
def test_a_birth_date_error_is_shown_next_to_the_childs_field_in_finnish(
    client, sw_pori, field, value, message
):
    client.force_login(sw_pori)
    overrides = {f"children-0-{field}": value}
    if field == "date_of_birth":
        overrides["children-0-identity_code"] = ""
    response = client.post(NEW, request_form_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert field_error(html, f"id_children-0-{field}") == message
    # And in the summary, which links to the field.
    assert f'href="#id_children-0-{field}"' in html
    assert not GuardianshipRequest.objects.exists()


# --- Turvakielto: a warning for everyone, addresses for the child's social workers -------


@pytest.fixture
def protected(sw_pori):
    """A searching Pori request whose child and mother have a non-disclosure."""
    request = GuardianshipRequestFactory(
        created_by=sw_pori,
        state=State.SEARCHING,
        custodian_notes="Äidin uusi osoite: Suojatie 9.",
        children=0,
    )
    ChildFactory(request=request, first_name="Lilja", non_disclosure=True, placement=PLACEMENT)
    CustodianFactory(
        request=request, name="Maija Suojattu", address=ADDRESS, phone=PHONE, non_disclosure=True
    )
    CustodianFactory(
        request=request,
        name="Matti Avoin",
        relation=CustodianRelation.FATHER,
        address="Avoinkatu 1, Pori",
    )
    return request


def test_the_warning_is_shown_to_every_role_on_every_page_of_the_request(
    client, protected, sw_pori, coordinator, team_leader, guardian_user
):
    detail = protected.get_absolute_url()
    queue = reverse("guardianship:request_list")
    for user in (sw_pori, coordinator, team_leader):
        html = page(client, user, detail)
        assert WARNING in html and 'role="alert"' in html, user
        assert "turvakielto" in page(client, user, queue), user
    assert WARNING in page(
        client, coordinator, reverse("guardianship:request_matching", args=[protected.uuid])
    )

    # The guardian: proposed (their card, the request, the list), then serving.
    assignment = AssignmentFactory(request=protected, guardian=GuardianFactory(user=guardian_user))
    assert WARNING in page(client, guardian_user, reverse("guardianship:my_assignments"))
    assert WARNING in page(client, guardian_user, detail)
    assert "turvakielto" in page(client, guardian_user, queue)
    assignment.status = AssignmentStatus.ACTIVE
    assignment.save()
    assert WARNING in page(client, guardian_user, detail)
    assert "turvakielto" in page(client, guardian_user, reverse("guardianship:my_assignments"))


def test_the_protected_addresses_are_shown_only_to_the_childs_social_workers(
    client, protected, sw_pori, coordinator, team_leader, guardian_user
):
    teammate = make_user(
        Role.SOCIAL_WORKER,
        ["satakunnan-hyvinvointialue"],
        units=["Lastensuojelu, Pori"],
        username="pori-teammate",
    )
    AssignmentFactory(
        request=protected,
        guardian=GuardianFactory(user=guardian_user),
        status=AssignmentStatus.ACTIVE,
    )
    protected_texts = (PLACEMENT, ADDRESS, PHONE, "Suojatie 9")
    for user in (sw_pori, teammate):
        html = page(client, user, protected.get_absolute_url())
        assert all(text in html for text in protected_texts), user
    for user in (coordinator, team_leader, guardian_user):
        html = page(client, user, protected.get_absolute_url())
        assert not any(text in html for text in protected_texts), user
        assert "Suojattu (turvakielto)" in html
        # What is not protected stays: the other custodian's address, the names.
        assert "Avoinkatu 1, Pori" in html and "Maija Suojattu" in html


def test_no_address_leaves_in_an_export_or_an_email(client, protected, coordinator, sent_mail):
    client.force_login(coordinator)
    export = client.get(reverse("guardianship:request_export"), export_period()).content.decode()
    services.propose_guardian(protected, GuardianFactory(email="g@example.invalid"), by=coordinator)
    mails = sent_mail()
    assert mails
    for text in [export] + [m.subject + m.body for m in mails]:
        for secret in (PLACEMENT, ADDRESS, PHONE, "Suojatie"):
            assert secret not in text


# --- Custodians as rows ---------------------------------------------------------------


def test_the_custodians_are_saved_from_the_forms_rows(client, sw_pori):
    client.force_login(sw_pori)
    form = client.get(NEW).context["custodians"]
    # Without JavaScript the form offers a row for each of two custodians.
    assert len(form.forms) == 2
    data = request_form_data(
        **{
            "custodians-0-email": "maija@example.invalid",
            "custodians-0-address": "Kotikatu 1, Pori",
            "custodians-1-non_disclosure": "on",
            # A third row left empty is left out.
            "custodians-TOTAL_FORMS": "3",
        }
    )
    assert client.post(NEW, data).status_code == 302
    rows = list(GuardianshipRequest.objects.get().custodians.order_by("id"))
    assert [(c.name, c.relation, c.non_disclosure) for c in rows] == [
        ("Maija Mallikas", "mother", False),
        ("Matti Mallikas", "father", True),
    ]
    assert rows[0].email == "maija@example.invalid" and rows[0].affected_by_conflict


def test_a_custodian_needs_a_name_and_a_relation_and_comes_once(client, sw_pori):
    client.force_login(sw_pori)
    response = client.post(NEW, request_form_data(**{"custodians-0-relation": ""}))
    assert field_error(response.content.decode(), "id_custodians-0-relation")
    response = client.post(NEW, request_form_data(**{"custodians-1-name": "maija mallikas"}))
    assert "Sama huoltaja on annettu kahdesti." in response.content.decode()
    response = client.post(NEW, request_form_data(**{"custodians-TOTAL_FORMS": "0"}))
    assert response.status_code == 200  # none is not enough
    assert not GuardianshipRequest.objects.exists()
    response = client.post(NEW, request_form_data(**{"custodians-TOTAL_FORMS": "1"}))
    assert response.status_code == 302  # one is


def test_a_suspect_is_kept_only_on_the_criminal_investigation_track(client, sw_pori):
    from guardianship.models import LegalTrack

    client.force_login(sw_pori)
    client.post(NEW, request_form_data(**{"custodians-1-suspect": "on"}))
    assert not Custodian.objects.filter(suspect=True).exists()
    etl = LegalTrack.objects.get(code=CRIMINAL_INVESTIGATION)
    lsl = LegalTrack.objects.get(code=CHILD_WELFARE)
    data = request_form_data(
        **{
            "custodians-1-suspect": "on",
            "tracks": [lsl.pk, etl.pk],
            "police_report_number": "5600/R/1/26",
            "investigating_unit": "Lounais-Suomen poliisilaitos",
            "investigation_applicant": "head_of_investigation",
        }
    )
    assert client.post(NEW, data).status_code == 302
    assert list(Custodian.objects.filter(suspect=True).values_list("name", flat=True)) == [
        "Matti Mallikas"
    ]


def test_each_reader_sees_the_custodians_as_their_part_needs(client, coordinator, guardian_user):
    request = GuardianshipRequestFactory(
        state=State.PROPOSED, track_codes=(CHILD_WELFARE, CRIMINAL_INVESTIGATION)
    )
    CustodianFactory(request=request, name="Maija Mallikas", phone="050 111 2233")
    CustodianFactory(
        request=request,
        name="Matti Mallikas",
        relation=CustodianRelation.FATHER,
        email="matti@example.invalid",
        suspect=True,
    )
    assignment = AssignmentFactory(request=request, guardian=GuardianFactory(user=guardian_user))
    hidden = ("050 111 2233", "matti@example.invalid", "epäilty rikoksesta", "Isä")

    # Proposed: the names only, to check for a conflict of interest.
    for html in (
        page(client, guardian_user, request.get_absolute_url()),
        page(client, guardian_user, reverse("guardianship:my_assignments")),
    ):
        assert "Maija Mallikas" in html and "Matti Mallikas" in html
        assert not any(text in html for text in hidden)

    # Appointed: relation, contacts and who is suspected.
    assignment.status = AssignmentStatus.ACTIVE
    assignment.save()
    html = page(client, guardian_user, request.get_absolute_url())
    assert all(text in html for text in hidden)
    # The coordinator sees the same.
    html = page(client, coordinator, request.get_absolute_url())
    assert all(text in html for text in hidden)


def test_a_request_filed_before_the_rows_shows_its_old_names(client, guardian_user):
    request = GuardianshipRequestFactory(state=State.PROPOSED, custodian_names="Äiti ja isä")
    AssignmentFactory(request=request, guardian=GuardianFactory(user=guardian_user))
    assert request.custodian_name_list == ["Äiti ja isä"]
    assert "Äiti ja isä" in page(client, guardian_user, request.get_absolute_url())


def test_retention_erases_the_custodians_and_the_childs_view():
    request = GuardianshipRequestFactory(
        state=State.ENDED,
        state_changed_at=timezone.now() - datetime.timedelta(days=7 * 365),
        children=0,
    )
    ChildFactory(request=request, child_view="Haluan kotiin.", mother_tongue="so")
    CustodianFactory(
        request=request, name="Maija Mallikas", phone=PHONE, address=ADDRESS, suspect=True
    )
    call_command("apply_retention", years=6, log_years=12)
    child = request.children.get()
    assert (child.child_view, child.mother_tongue) == ("–", "so")
    custodian = request.custodians.get()
    assert (custodian.name, custodian.phone, custodian.address, custodian.suspect) == (
        "–",
        "",
        "",
        False,
    )
    assert custodian.relation == CustodianRelation.MOTHER
    # The history never had them.
    event_fields = {f.name for f in Custodian.history.rel.related_model._meta.get_fields()}
    assert not {"name", "phone", "email", "address", "suspect"} & event_fields


# --- The data migration ----------------------------------------------------------------

MIGRATION = importlib.import_module("guardianship.migrations.0020_child_facts_and_custodians")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Maija Mallikas", ["Maija Mallikas"]),
        ("Maija Mallikas, Matti Mallikas", ["Maija Mallikas", "Matti Mallikas"]),
        ("Maija ja Matti Mallikas", ["Maija Mallikas", "Matti Mallikas"]),
        ("Anna-Liisa Virtanen ja Jukka Mäki-Petäjä", ["Anna-Liisa Virtanen", "Jukka Mäki-Petäjä"]),
        ("Sara och Johan Berg", ["Sara Berg", "Johan Berg"]),
        # Not reliable: left as they are.
        ("Äiti ja isä", []),
        ("Huoltajat (demo)", []),
        ("Maija Mallikas, puh. 050 765 4321", []),
        ("Maija", []),
        ("–", []),
    ],
)
def test_the_old_names_become_rows_only_where_they_split_reliably(text, names):
    assert MIGRATION.split_names(text) == names


def test_the_data_migration_makes_rows_and_keeps_the_rest(client):
    split = GuardianshipRequestFactory(custodian_names="Maija ja Matti Mallikas")
    kept = GuardianshipRequestFactory(custodian_names="Äiti ja isä")
    has_rows = GuardianshipRequestFactory(custodian_names="Liisa Laine")
    CustodianFactory(request=has_rows, name="Liisa Laine")
    assert MIGRATION.custodian_rows_from_names(apps) == 1
    split.refresh_from_db()
    assert split.custodian_names == ""
    assert [(c.name, c.relation, c.affected_by_conflict) for c in split.custodians.all()] == [
        ("Maija Mallikas", "", True),
        ("Matti Mallikas", "", True),
    ]
    kept.refresh_from_db()
    assert kept.custodian_names == "Äiti ja isä" and not kept.custodians.exists()
    assert has_rows.custodians.count() == 1


def test_other_language_becomes_not_known_and_is_shown_so(client, coordinator):
    """The old choice "other language" named no language: migration 0020 made it "" (the
    database now refuses anything but a code), which the request page calls not known."""
    child = ChildFactory(request__state=State.SEARCHING, mother_tongue="sv")
    with pytest.raises(IntegrityError), transaction.atomic():
        Child.objects.filter(pk=child.pk).update(mother_tongue="other")
    MIGRATION.other_language_unknown(apps, None)
    assert Child.objects.get(pk=child.pk).mother_tongue == "sv"
    Child.objects.filter(pk=child.pk).update(mother_tongue="")
    assert "ei tiedossa" in page(client, coordinator, child.request.get_absolute_url())


def test_the_demo_has_custodians_a_non_disclosure_and_an_interpreter():
    from demo.scenario import create_demo_requests

    workers = {
        "pori": make_user(
            Role.SOCIAL_WORKER,
            ["satakunnan-hyvinvointialue"],
            units=["Lastensuojelu, Pori"],
            username="demo-pori",
        ),
        "rauma": make_user(
            Role.SOCIAL_WORKER,
            ["satakunnan-hyvinvointialue"],
            units=["Lastensuojelu, Rauma"],
            username="demo-rauma",
        ),
    }
    coordinator = make_user(Role.COORDINATOR, ["pikassos"], username="demo-coordinator")
    create_demo_requests(coordinator, workers)
    assert Custodian.objects.count() == 2 * GuardianshipRequest.objects.count()
    assert Custodian.objects.filter(suspect=True).exists()
    assert Child.objects.filter(non_disclosure=True).exists()
    assert Child.objects.filter(interpreter_needed=True, mother_tongue="so").exists()
