import codecs
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.factories import make_user
from common.exceptions import WorkflowError
from fees import services as claim_services
from fees.enums import ClaimStatus
from fees.factories import PayeeFactory
from fees.forms import ClaimDecisionForm
from fees.models import FeeClaim
from guardianship.enums import AccessAction, AccessBasis, AccessOutcome, AssignmentStatus, State
from guardianship.factories import AssignmentFactory, ChildFactory, GuardianFactory
from guardianship.models import AccessLog
from municipalities.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def appointed_case(guardian, payer_slug="satakunnan-hyvinvointialue", child_name="Aino"):
    """The guardian's appointed case for one child, paid by `payer_slug`."""
    case = AssignmentFactory(
        appointed=True,
        guardian=guardian,
        proposed_by=guardian.user,
        request__payer=Organisation.objects.get(slug=payer_slug),
        request__children=0,
    )
    ChildFactory(request=case.request, first_name=child_name)
    return case


@pytest.fixture
def setup(guardian_user):
    guardian = GuardianFactory(user=guardian_user)
    other_user = make_user("guardian", username="other-guardian")
    other = GuardianFactory(user=other_user)
    for each in (guardian, other):  # a claim needs the payee details (issue 15, part 3)
        PayeeFactory(guardian=each)
    return {
        "guardian": guardian,
        "case": appointed_case(guardian),
        "other": other,
        "other_case": appointed_case(other, payer_slug="rauma", child_name="Eino"),
        "county_payer": make_user("payer", ["satakunnan-hyvinvointialue"], username="county-payer"),
        "rauma_payer": make_user("payer", ["rauma"], username="rauma-payer"),
    }


def claim(assignment, user, fee="450.00", hours="6.5", start=(2026, 1, 1), end=(2026, 3, 31), **kw):
    return claim_services.submit_claim(
        assignment,
        by=user,
        period_start=datetime.date(*start),
        period_end=datetime.date(*end),
        hours=Decimal(hours),
        fee=Decimal(fee),
        description="",
        **kw,
    )


def test_the_guardian_claims_the_coordinator_returns_and_then_approves(client, setup, coordinator):
    guardian_user = setup["guardian"].user
    client.force_login(guardian_user)
    url = reverse("fees:claim_create", kwargs={"assignment": setup["case"].uuid})
    receipt = SimpleUploadedFile("kuitti.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        url,
        {
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "hours": "6.5",
            "fee": "450.00",
            "description": "Neuvottelut ja oikeudenkäynti",
            "idempotency_key": "6f1c1e8e-0f53-4a8e-9a4b-2f6d1b0c9e11",
            "expenses-TOTAL_FORMS": "2",
            "expenses-INITIAL_FORMS": "0",
            "expenses-0-description": "Matkakulut",
            "expenses-0-amount": "42.40",
            "expenses-0-receipt": receipt,
            "expenses-1-description": "",
            "expenses-1-amount": "",
        },
    )
    assert response.status_code == 302
    fee_claim = FeeClaim.objects.get()
    assert fee_claim.status == ClaimStatus.SUBMITTED
    assert fee_claim.total == Decimal("492.40")
    assert isinstance(fee_claim.total, Decimal)

    client.force_login(coordinator)
    decide = reverse("fees:claim_decide", kwargs={"uuid": fee_claim.uuid})
    response = client.post(decide, {"decision": "return", "reason": ""})
    fee_claim.refresh_from_db()
    assert fee_claim.status == ClaimStatus.SUBMITTED  # a return needs a reason
    assert response.context["decision_form"].errors["reason"]
    client.post(decide, {"decision": "return", "reason": "Tunnit puuttuvat erittelystä."})
    fee_claim.refresh_from_db()
    assert fee_claim.status == ClaimStatus.RETURNED

    client.force_login(guardian_user)
    edit = reverse("fees:claim_edit", kwargs={"uuid": fee_claim.uuid})
    assert "Tunnit puuttuvat" in client.get(fee_claim.get_absolute_url()).content.decode()
    client.post(
        edit,
        {
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "hours": "7.0",
            "fee": "480.00",
            "expenses-TOTAL_FORMS": "0",
            "expenses-INITIAL_FORMS": "0",
        },
    )
    fee_claim.refresh_from_db()
    assert (fee_claim.status, fee_claim.fee) == (ClaimStatus.SUBMITTED, Decimal("480.00"))

    client.force_login(coordinator)
    # Approving shows the amounts first, and approves on the confirmation.
    client.post(decide, {"decision": "approve"})
    fee_claim.refresh_from_db()
    assert fee_claim.status == ClaimStatus.SUBMITTED
    confirmation = ClaimDecisionForm.confirmation(fee_claim).initial
    client.post(decide, confirmation)
    fee_claim.refresh_from_db()
    assert fee_claim.status == ClaimStatus.APPROVED and fee_claim.decided_by == coordinator
    # A decided claim cannot be decided again.
    with pytest.raises(WorkflowError):
        claim_services.approve_claim(fee_claim, by=coordinator)


def test_a_claim_is_named_by_its_short_reference(setup):
    fee_claim = claim(setup["case"], setup["guardian"].user)
    assert fee_claim.reference == str(fee_claim.uuid)[:8].upper()
    assert str(fee_claim).endswith(f" {fee_claim.reference}")


def test_a_claim_is_refused_for_a_case_not_appointed_or_not_ones_own(setup):
    with pytest.raises(WorkflowError):
        claim(setup["other_case"], setup["guardian"].user)
    setup["case"].request.state = State.CONSENT_GIVEN
    setup["case"].request.save()
    with pytest.raises(WorkflowError):
        claim(setup["case"], setup["guardian"].user)


def test_the_claim_form_explains_bad_input(client, setup):
    client.force_login(setup["guardian"].user)
    url = reverse("fees:claim_create", kwargs={"assignment": setup["case"].uuid})
    response = client.post(
        url,
        {
            "period_start": "2026-03-01",
            "period_end": "2026-01-01",
            "hours": "-1",
            "fee": "abc",
            "expenses-TOTAL_FORMS": "1",
            "expenses-INITIAL_FORMS": "0",
            "expenses-0-description": "Kuitti",
            "expenses-0-amount": "10",
            "expenses-0-receipt": SimpleUploadedFile("virus.exe", b"MZ"),
        },
    )
    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    assert {"period_end", "hours", "fee"} <= set(form.errors)
    assert formset.forms[0].errors["receipt"]
    assert not FeeClaim.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # HTML named .pdf, an SVG (which can carry a script) named .png.
        ("kuitti.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("kuitti.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'),
    ],
)
def test_a_receipt_whose_bytes_are_not_what_its_name_says_is_refused(client, setup, name, content):
    client.force_login(setup["guardian"].user)
    url = reverse("fees:claim_create", kwargs={"assignment": setup["case"].uuid})
    response = client.post(
        url,
        {
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "hours": "1",
            "fee": "50.00",
            "expenses-TOTAL_FORMS": "1",
            "expenses-INITIAL_FORMS": "0",
            "expenses-0-description": "Matka",
            "expenses-0-amount": "10",
            "expenses-0-receipt": SimpleUploadedFile(name, content),
        },
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert response.status_code == 200
    (error,) = response.context["formset"].forms[0].errors["receipt"]
    assert error.startswith("Tiedoston sisältö ei ole")
    assert not FeeClaim.objects.exists()


def test_a_guardian_sees_only_their_own_claims(client, setup):
    mine = claim(setup["case"], setup["guardian"].user)
    theirs = claim(setup["other_case"], setup["other"].user)
    client.force_login(setup["guardian"].user)
    listed = list(client.get(reverse("fees:claim_list")).context["claims"])
    assert listed == [mine]
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_a_look_at_somebody_elses_claim_or_receipt_is_logged_as_refused(client, setup):
    theirs = claim(
        setup["other_case"],
        setup["other"].user,
        expenses=[{"description": "Matka", "amount": Decimal("12.00")}],
    )
    expense = theirs.expenses.get()
    receipt = reverse("fees:claim_receipt", kwargs={"uuid": theirs.uuid, "expense": expense.uuid})
    snooper = setup["guardian"].user
    client.force_login(snooper)
    for url in (theirs.get_absolute_url(), receipt, reverse("fees:claim_edit", args=[theirs.uuid])):
        assert client.get(url).status_code == 404
    refused = AccessLog.objects.filter(user=snooper, outcome=AccessOutcome.REFUSED)
    assert list(refused.order_by("at", "id").values_list("request", "action")) == [
        (theirs.assignment.request_id, AccessAction.VIEW),
        (theirs.assignment.request_id, AccessAction.VIEW),
        (theirs.assignment.request_id, AccessAction.UPDATE),
    ]
    # A claim that does not exist is a plain 404, with nothing to log.
    assert client.get(reverse("fees:claim_detail", args=[expense.uuid])).status_code == 404
    assert refused.count() == 3


def test_a_payer_sees_only_its_own_approved_claims(client, setup, coordinator):
    county_claim = claim(setup["case"], setup["guardian"].user)
    rauma_claim = claim(setup["other_case"], setup["other"].user)
    pending = claim(setup["case"], setup["guardian"].user, start=(2026, 4, 1), end=(2026, 4, 30))
    for c in (county_claim, rauma_claim):
        claim_services.approve_claim(c, by=coordinator)
    client.force_login(setup["county_payer"])
    listed = list(client.get(reverse("fees:claim_list")).context["claims"])
    assert listed == [county_claim]
    assert client.get(rauma_claim.get_absolute_url()).status_code == 404
    assert client.get(pending.get_absolute_url()).status_code == 404
    client.force_login(setup["rauma_payer"])
    assert list(client.get(reverse("fees:claim_list")).context["claims"]) == [rauma_claim]


def test_receipts_are_served_only_to_those_who_may_see_the_claim(
    client, setup, coordinator, sw_pori
):
    receipt = SimpleUploadedFile("kuitti.png", b"\x89PNG fake", content_type="image/png")
    fee_claim = claim(
        setup["case"],
        setup["guardian"].user,
        expenses=[{"description": "Matka", "amount": Decimal("12.00"), "receipt": receipt}],
    )
    expense = fee_claim.expenses.get()
    url = reverse("fees:claim_receipt", kwargs={"uuid": fee_claim.uuid, "expense": expense.uuid})
    assert "kuitti" not in expense.receipt.name  # stored under a random name
    client.force_login(setup["guardian"].user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG fake"
    client.force_login(setup["other"].user)
    assert client.get(url).status_code == 404
    client.force_login(sw_pori)
    assert client.get(url).status_code == 403
    client.force_login(setup["county_payer"])
    assert client.get(url).status_code == 404  # not approved yet
    claim_services.approve_claim(fee_claim, by=coordinator)
    assert client.get(url).status_code == 200


@pytest.fixture
def approved(setup, coordinator):
    first = claim(
        setup["case"],
        setup["guardian"].user,
        fee="450.00",
        hours="6.5",
        expenses=[{"description": "Matka", "amount": Decimal("42.40")}],
    )
    second = claim(
        setup["case"],
        setup["guardian"].user,
        fee="120.10",
        hours="2",
        start=(2026, 4, 1),
        end=(2026, 4, 30),
    )
    outside = claim(
        setup["case"], setup["guardian"].user, fee="999.00", start=(2025, 1, 1), end=(2025, 1, 31)
    )
    rauma = claim(setup["other_case"], setup["other"].user, fee="777.00")
    for c in (first, second, outside, rauma):
        claim_services.approve_claim(c, by=coordinator)
    return first, second


EXPORT = {"payer": "satakunnan-hyvinvointialue", "start": "2026-01-01", "end": "2026-12-31"}


def test_the_xlsx_export_has_the_payers_claims_of_the_period_and_their_totals(
    client, setup, approved
):
    client.force_login(setup["county_payer"])
    response = client.get(reverse("fees:claim_export", kwargs={"fmt": "xlsx"}), EXPORT)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("Satakunnan hyvinvointialue")
    body = rows[2:-1]
    assert [r[0] for r in body] == [c.reference for c in approved]
    # The payer needs no child's name: the references and the case number do.
    assert not [v for r in rows for v in r if isinstance(v, str) and "Aino" in v]
    fee = rows[1].index("Palkkio (€)")
    assert [Decimal(str(r[fee])) for r in body] == [Decimal("450.00"), Decimal("120.10")]
    total = rows[-1]
    # Hours, kilometres, fee, expenses, total.
    assert [Decimal(str(v)) for v in total[fee - 2 :]] == [
        Decimal("8.5"),
        Decimal("0"),
        Decimal("570.10"),
        Decimal("42.40"),
        Decimal("612.50"),
    ]
    exported = AccessLog.objects.filter(action=AccessAction.EXPORT, user=setup["county_payer"])
    assert sum(len(row.children) for row in exported) == 2


def test_the_csv_export_matches(client, setup, approved, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("fees:claim_export", kwargs={"fmt": "csv"}), EXPORT)
    assert response.content.startswith(codecs.BOM_UTF8)  # for Excel
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 4  # header, two claims, total
    assert lines[-1].split(";")[-5:] == ["8,50", "0,00", "570,10", "42,40", "612,50"]
    assert "777,00" not in text and "999,00" not in text


def test_claims_and_their_exports_never_show_an_identity_code(client, setup, approved, coordinator):
    """Identity codes are masked everywhere, and claims need none (issue 13, part 3)."""
    code = "010115A998H"  # a temporary code: no real person has it
    setup["case"].request.children.update(identity_code=code)
    client.force_login(coordinator)
    pages = [
        client.get(reverse("fees:claim_export", kwargs={"fmt": "csv"}), EXPORT),
        client.get(reverse("fees:claim_detail", args=[approved[0].uuid])),
        client.get(reverse("fees:claim_list")),
    ]
    for response in pages:
        assert response.status_code == 200
        assert code not in response.content.decode("utf-8-sig")
    xlsx = client.get(reverse("fees:claim_export", kwargs={"fmt": "xlsx"}), EXPORT)
    cells = [c for row in load_workbook(io.BytesIO(xlsx.content)).active.values for c in row]
    assert not [c for c in cells if isinstance(c, str) and code[:6] in c]


def test_a_payer_cannot_export_another_payers_claims(client, setup, approved):
    client.force_login(setup["rauma_payer"])
    response = client.get(reverse("fees:claim_export", kwargs={"fmt": "xlsx"}), EXPORT)
    assert response.status_code == 400
    assert "payer" in response.context["export_form"].errors


def test_an_export_with_a_bad_period_is_explained(client, coordinator):
    client.force_login(coordinator)
    response = client.get(
        reverse("fees:claim_export", kwargs={"fmt": "csv"}),
        {"payer": "satakunnan-hyvinvointialue", "start": "2026-12-01", "end": "2026-01-01"},
    )
    assert response.status_code == 400
    assert response.context["export_form"].errors["end"]


def test_an_export_to_a_payer_names_it_as_the_recipient_and_says_why(
    client, setup, approved, coordinator
):
    for user, basis in (
        (coordinator, AccessBasis.COORDINATOR),
        (setup["county_payer"], AccessBasis.PAYER),
    ):
        client.force_login(user)
        assert client.get(reverse("fees:claim_export", args=["csv"]), EXPORT).status_code == 200
        rows = AccessLog.objects.filter(action=AccessAction.EXPORT, user=user)
        assert {(r.basis, r.recipient) for r in rows} == {(basis, "Satakunnan hyvinvointialue")}
        # The one child of each of the two claims.
        assert sum(len(row.children) for row in rows) == 2


def test_a_look_at_a_claim_says_on_what_basis(client, setup, coordinator, superuser):
    mine = claim(setup["case"], setup["guardian"].user)
    client.force_login(setup["guardian"].user)
    client.get(mine.get_absolute_url())
    claim_services.approve_claim(mine, by=coordinator)
    # The case ends: the guardian still sees the claim, now as its former guardian.
    setup["case"].status = AssignmentStatus.ENDED
    setup["case"].save()
    client.get(mine.get_absolute_url())
    for user in (setup["county_payer"], coordinator, superuser):
        client.force_login(user)
        client.get(mine.get_absolute_url())
    views = AccessLog.objects.filter(action=AccessAction.VIEW).order_by("at", "id")
    assert [(r.user, r.basis) for r in views] == [
        (setup["guardian"].user, AccessBasis.APPOINTED_GUARDIAN),
        (setup["guardian"].user, AccessBasis.FORMER_GUARDIAN),
        (setup["county_payer"], AccessBasis.PAYER),
        (coordinator, AccessBasis.COORDINATOR),
        (superuser, AccessBasis.ADMIN),
    ]
    assert all(r.request_id == mine.assignment.request_id for r in views)
    # A refused look has no basis.
    client.force_login(setup["other"].user)
    assert client.get(mine.get_absolute_url()).status_code == 404
    refused = AccessLog.objects.get(outcome=AccessOutcome.REFUSED)
    assert refused.basis == ""
