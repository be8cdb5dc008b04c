"""What a guardian types into a claim is stored as meant (issue 15, parts 1 and 6):
"3,5" hours are 3.5 hours, "210,00" € are 210 €, amounts are shown in Finnish groups,
and a claim dated in year 1 is refused."""

from decimal import Decimal

import pytest
from django.urls import reverse

from fees.factories import ClaimExpenseFactory, FeeClaimFactory
from fees.models import FeeClaim
from fees.tests.conftest import claim_form_data

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def test_a_decimal_comma_and_spaced_thousands_are_stored_as_typed(client, guardian, case, media):
    client.force_login(guardian.user)
    data = claim_form_data(
        hours="3,5",
        fee="210,00",
        expenses=[{"description": "Matkat", "amount": f"1{NBSP}234,50"}, {}],
    )
    response = client.post(reverse("fees:claim_create", args=[case.uuid]), data)
    assert response.status_code == 302, response.context["form"].errors
    claim = FeeClaim.objects.get()
    assert (claim.hours, claim.fee) == (Decimal("3.5"), Decimal("210.00"))
    assert claim.expenses.get().amount == Decimal("1234.50")
    assert claim.total == Decimal("1444.50")


def test_an_ambiguous_amount_is_explained_not_multiplied(client, guardian, case):
    client.force_login(guardian.user)
    data = claim_form_data(hours="3,5,0", fee="1.234,50")
    response = client.post(reverse("fees:claim_create", args=[case.uuid]), data)
    assert response.status_code == 200
    assert {"hours", "fee"} <= set(response.context["form"].errors)
    assert not FeeClaim.objects.exists()


def test_the_amount_inputs_are_text_with_a_decimal_keyboard(client, guardian, case):
    client.force_login(guardian.user)
    html = client.get(reverse("fees:claim_create", args=[case.uuid])).content.decode()
    for name in ("hours", "fee", "expenses-0-amount"):
        assert f'name="{name}"' in html
        tag = html.split(f'name="{name}"')[0].rsplit("<input", 1)[1]
        tag += html.split(f'name="{name}"')[1].split(">", 1)[0]
        assert 'type="text"' in tag and 'inputmode="decimal"' in tag, tag
    assert 'type="number"' not in html


def test_amounts_are_shown_with_finnish_grouping(client, coordinator):
    claim = FeeClaimFactory(fee=Decimal("21000.00"), hours=Decimal("1234.5"))
    ClaimExpenseFactory(claim=claim, amount=Decimal("1000.00"))
    client.force_login(coordinator)
    detail = client.get(claim.get_absolute_url()).content.decode()
    for shown in (f"21{NBSP}000,00", f"1{NBSP}234,50", f"1{NBSP}000,00", f"22{NBSP}000,00"):
        assert shown in detail
    assert "21000,00" not in detail
    listed = client.get(reverse("fees:claim_list")).content.decode()
    assert f"22{NBSP}000,00" in listed


def test_the_edit_form_shows_the_stored_amounts_in_finnish(client, guardian, case, media):
    claim = FeeClaimFactory(
        assignment=case, returned=True, hours=Decimal("3.50"), fee=Decimal("1234.50")
    )
    client.force_login(guardian.user)
    html = client.get(reverse("fees:claim_edit", args=[claim.uuid])).content.decode()
    assert 'value="3,50"' in html and f'value="1{NBSP}234,50"' in html


@pytest.mark.parametrize("field", ["period_start", "period_end"])
def test_a_claim_for_year_1_is_refused(client, guardian, case, field):
    client.force_login(guardian.user)
    data = claim_form_data(**{field: "0001-01-01"})
    if field == "period_end":
        data["period_start"] = "0001-01-01"
    response = client.post(reverse("fees:claim_create", args=[case.uuid]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not FeeClaim.objects.exists()
