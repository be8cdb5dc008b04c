"""The claim list's rows, rendered by Jinja2 (common/jinja2.py; issue 18, part 3):
escaped, in the page's language, each cell with its phone label."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fees.factories import FeeClaimFactory
from fees.models import FeeClaim
from guardianship.tests.test_list_rows import ESCAPED, SCRIPT, body_rows

pytestmark = pytest.mark.django_db

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
