"""The claim list's rows, rendered by Jinja2 (common/jinja2.py; issue 18, part 3):
escaped, in the page's language, each cell with its phone label."""

import datetime
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.urls import reverse
from django.utils import timezone

from fees.factories import ClaimExpenseFactory, FeeClaimFactory
from fees.models import FeeClaim
from guardianship.tests.test_list_rows import ESCAPED, SCRIPT, body_rows

pytestmark = pytest.mark.django_db

NBSP = "\xa0"

CLAIMS = reverse("fees:claim_list")


def test_a_guardian_s_name_is_escaped_in_the_claim_list(client, coordinator):
    FeeClaimFactory(
        assignment__guardian__first_name=SCRIPT, assignment__guardian__last_name="Testi"
    )
    client.force_login(coordinator)
    html = client.get(CLAIMS).content.decode()
    assert SCRIPT not in html
    (row,) = body_rows(html)
    assert f'<td data-label="Edunvalvoja">{ESCAPED} Testi</td>' in row


def test_the_claim_rows_are_in_swedish(client, coordinator):
    claim = FeeClaimFactory(
        approved=True,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
    )
    FeeClaim.objects.filter(pk=claim.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=31)
    )
    client.cookies["django_language"] = "sv"
    client.force_login(coordinator)
    (row,) = body_rows(client.get(CLAIMS).content.decode())
    url = reverse("fees:claim_detail", kwargs={"uuid": claim.uuid})
    assert f'<td data-label="Arvodesräkning"><a href="{url}">{claim.reference}</a></td>' in row
    assert '<td data-label="Period">1.1.2026–31.3.2026</td>' in row
    assert '<td data-label="Status">Godkänd <strong class="badge badge--warning">' in row
    assert "Obetald efter 30 dagar</strong>" in row
    assert 'data-label="Totalt (€)">' in row


def test_a_row_totals_the_fee_and_expenses_and_names_the_payer(client, coordinator):
    """Summed in the list's own query and the payer named from memory (issue 18): the
    total a coordinator checks against the claim, the organisation that pays it."""
    claim = FeeClaimFactory(fee=Decimal("1450.00"))
    ClaimExpenseFactory(claim=claim, amount=Decimal("42.40"))
    ClaimExpenseFactory(claim=claim, amount=Decimal("7.60"))
    FeeClaimFactory(fee=Decimal("10.00"))  # no expenses: its fee alone
    client.force_login(coordinator)
    rows = body_rows(client.get(CLAIMS).content.decode())
    payer = claim.assignment.request.payer.display_name
    assert any(
        f'data-label="Yhteensä (€)">1{NBSP}500,00</td>' in row
        and f'data-label="Maksaja">{payer}</td>' in row
        for row in rows
    )
    assert any('data-label="Yhteensä (€)">10,00</td>' in row for row in rows)


def test_the_list_pages_without_counting_every_claim(client, coordinator, settings):
    """One row past the page tells whether another follows: "Page 2", no total."""
    for _ in range(3):
        FeeClaimFactory()
    client.force_login(coordinator)
    with patch("fees.views.PAGE_SIZE", 2):
        first = client.get(CLAIMS).content.decode()
        second = client.get(CLAIMS, {"page": 2}).content.decode()
    assert len(body_rows(first)) == 2 and len(body_rows(second)) == 1
    assert "?page=2" in first and "Sivu 2</li>" in second
    assert "Sivu 1/" not in first and "Sivu 2/" not in second
