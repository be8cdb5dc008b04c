"""Correcting a returned claim (issue 15, part 5): the edit form shows every expense with
its receipt; each can be changed, its receipt replaced, or removed; more can be added;
the number of expenses and the receipts' total size per claim are capped."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fees.enums import ClaimStatus
from fees.factories import ClaimExpenseFactory, FeeClaimFactory
from fees.forms import MAX_EXPENSES
from fees.models import ClaimExpense, FeeClaim
from fees.tests.conftest import claim_form_data

pytestmark = pytest.mark.django_db


def pdf(name="kuitti.pdf", size=0):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + b"x" * size, content_type="application/pdf")


@pytest.fixture
def returned(case, media):
    claim = FeeClaimFactory(assignment=case, returned=True)
    train = ClaimExpenseFactory(claim=claim, description="Juna", amount=Decimal("42.40"))
    train.receipt.save("juna.pdf", pdf(), save=True)
    taxi = ClaimExpenseFactory(claim=claim, description="Taksi", amount=Decimal("300.00"))
    taxi.receipt.save("taksi.pdf", pdf(), save=True)
    return claim, train, taxi


def edit_url(claim):
    return reverse("fees:claim_edit", args=[claim.uuid])


def test_the_edit_form_shows_every_expense_with_its_receipt(client, guardian, returned):
    claim, train, taxi = returned
    client.force_login(guardian.user)
    response = client.get(edit_url(claim))
    html = response.content.decode()
    formset = response.context["formset"]
    assert [f.instance for f in formset.initial_forms] == [train, taxi]
    for number, expense in enumerate((train, taxi)):
        assert f'name="expenses-{number}-DELETE"' in html
        assert f'value="{expense.description}"' in html
        receipt = reverse("fees:claim_receipt", args=[claim.uuid, expense.uuid])
        assert f'href="{receipt}"' in html
    # Without JavaScript there are empty rows for new expenses, and a template for more.
    assert formset.total_form_count() > 2
    assert "expenses-__prefix__-amount" in html
    assert 'src="/static/js/formset.js"' in html


def test_an_expense_is_changed_one_removed_and_one_added(
    client, guardian, returned, media, django_capture_on_commit_callbacks
):
    claim, train, taxi = returned
    old_taxi_receipt = taxi.receipt.name
    client.force_login(guardian.user)
    data = claim_form_data(
        initial=2,
        expenses=[
            {"id": train.pk, "description": "Juna Pori–Turku", "amount": "24,40"},
            {"id": taxi.pk, "description": "Taksi", "amount": "300,00", "DELETE": "on"},
            {"description": "Pysäköinti", "amount": "5,50"},
            {"description": "", "amount": ""},
        ],
    )
    data["expenses-2-receipt"] = SimpleUploadedFile("p.png", b"\x89PNG", content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(claim), data)
    assert response.status_code == 302, response.context and response.context["formset"].errors
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    rows = list(claim.expenses.values_list("description", "amount"))
    assert rows == [("Juna Pori–Turku", Decimal("24.40")), ("Pysäköinti", Decimal("5.50"))]
    assert claim.expenses.get(description="Pysäköinti").receipt
    assert not (media / old_taxi_receipt).exists()  # the removed receipt is gone too
    train.refresh_from_db()
    assert train.receipt  # kept as it was


def test_a_receipt_is_replaced_and_the_old_file_deleted(
    client, guardian, returned, media, django_capture_on_commit_callbacks
):
    claim, train, taxi = returned
    old = train.receipt.name
    client.force_login(guardian.user)
    data = claim_form_data(
        initial=2,
        expenses=[
            {"id": train.pk, "description": "Juna", "amount": "42,40", "receipt": pdf("uusi.pdf")},
            {"id": taxi.pk, "description": "Taksi", "amount": "300,00"},
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit_url(claim), data).status_code == 302
    train.refresh_from_db()
    assert train.receipt.name != old and train.receipt.read().startswith(b"%PDF")
    assert not (media / old).exists()


def test_the_number_of_expenses_is_capped_with_a_clear_error(client, guardian, case):
    client.force_login(guardian.user)
    rows = [{"description": f"Matka {n}", "amount": "1,00"} for n in range(MAX_EXPENSES + 1)]
    response = client.post(
        reverse("fees:claim_create", args=[case.uuid]), claim_form_data(expenses=rows)
    )
    assert response.status_code == 200
    [error] = response.context["formset"].non_form_errors()
    assert str(MAX_EXPENSES) in error
    assert not FeeClaim.objects.exists()


def test_the_receipts_of_a_claim_are_capped_in_total(client, guardian, returned, settings):
    claim, train, taxi = returned
    settings.FEE_CLAIM_RECEIPTS_MAX_MB = 1
    client.force_login(guardian.user)
    data = claim_form_data(
        initial=2,
        expenses=[
            {"id": train.pk, "description": "Juna", "amount": "42,40"},
            {"id": taxi.pk, "description": "Taksi", "amount": "300,00"},
            {"description": "Hotelli", "amount": "99,00", "receipt": pdf(size=600_000)},
            {"description": "Ateria", "amount": "9,00", "receipt": pdf(size=600_000)},
        ],
    )
    response = client.post(edit_url(claim), data)
    assert response.status_code == 200
    [error] = response.context["formset"].non_form_errors().as_data()
    assert error.code == "receipts_too_large"
    assert (error.params["limit"], error.params["total"]) == (1, "1,1")  # MB, in Finnish
    assert ClaimExpense.objects.filter(claim=claim).count() == 2
    # Removing the old receipts' rows makes room.
    data["expenses-0-DELETE"] = data["expenses-1-DELETE"] = "on"
    data["expenses-2-receipt"] = pdf(size=600_000)
    data["expenses-3-receipt"] = pdf(size=100)
    assert client.post(edit_url(claim), data).status_code == 302


def test_another_claims_expense_cannot_be_edited_through_this_one(client, guardian, returned):
    claim, train, taxi = returned
    other = ClaimExpenseFactory(claim=FeeClaimFactory(returned=True), amount=Decimal("1.00"))
    client.force_login(guardian.user)
    data = claim_form_data(
        initial=1, expenses=[{"id": other.pk, "description": "Kaapattu", "amount": "999,00"}]
    )
    client.post(edit_url(claim), data)
    owner = other.claim_id
    other.refresh_from_db()
    assert (other.claim_id, other.description, other.amount) == (owner, "Matkakulut", 1)
    assert set(claim.expenses.all()) == {train, taxi}
