"""Approved and paid fee claims of one payer and period, as CSV and XLSX for the payer.

What the payer needs to pay and to book, and no more (issue 15, part 8): the claim's and
the request's references, the court's case number, the period, the amounts and the
payment; never a child's name. Every text cell is written as text: in the XLSX as a
typed string (never a formula, whatever its first character), in the CSV neutralised as
OWASP's CSV-injection advice says (common.exports, with defusedcsv).
"""

import datetime
import io
from collections import namedtuple
from decimal import Decimal

from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from common.display import choice_labels
from common.exports import csv_response
from fees.enums import ClaimStatus
from fees.models import ClaimExpense
from fees.validators import format_iban
from guardianship.models import short_reference

MONEY = "#,##0.00"
DATE = "DD.MM.YYYY"


# What an export reads of each claim, as values: models with their related rows and
# expenses made a 10 000-claim export take seconds (issue 18).
EXPORT_FIELDS = {
    "uuid": "uuid",
    "request_id": "assignment__request_id",
    "request_uuid": "assignment__request__uuid",
    "case_number": "assignment__request__case_number",
    "payer_id": "assignment__request__payer_id",
    "assignment_status": "assignment__status",
    "guardian_user_id": "assignment__guardian__user_id",
    "guardian_first_name": "assignment__guardian__first_name",
    "guardian_last_name": "assignment__guardian__last_name",
    "payee_name": "payee_name",
    "payee_iban": "payee_iban",
    "payee_business_id": "payee_business_id",
    "payee_vat_registered": "payee_vat_registered",
    "period_start": "period_start",
    "period_end": "period_end",
    "status": "status",
    "paid_at": "paid_at",
    "payment_reference": "payment_reference",
    "hours": "hours",
    "kilometres": "kilometres",
    "fee": "fee",
    "expenses_total": "expenses_total",
}

ExportRow = namedtuple("ExportRow", EXPORT_FIELDS)


def export_values(claims):
    """`claims` (a queryset) as named rows of EXPORT_FIELDS, their expenses summed in
    the same query."""
    expenses = (
        ClaimExpense.objects.filter(claim=OuterRef("pk"))
        .values("claim")
        .annotate(sum=Sum("amount"))
        .values("sum")
    )
    rows = (
        claims.annotate(expenses_total=Coalesce(Subquery(expenses), Decimal("0.00")))
        .values_list(*EXPORT_FIELDS.values())
        .iterator(chunk_size=2000)
    )
    return map(ExportRow._make, rows)


def claim_rows(claims):
    """(header, rows, totals, amounts_from): Decimal amounts, the amount columns last from
    index `amounts_from`. `claims` are rows of `export_values`."""
    header = [
        _("Claim"),
        _("Request"),
        _("Case number"),
        # The payee as copied onto the claim when it was sent (issue 15, part 3).
        _("Payee"),
        _("Account (IBAN)"),
        _("Business ID"),
        capfirst(_("VAT-registered")),
        _("Period start"),
        _("Period end"),
        _("Status"),
        _("Paid on"),
        _("Payment reference"),
        _("Hours"),
        _("Kilometres"),
        _("Fee (€)"),
        _("Expenses (€)"),
        _("Total (€)"),
    ]
    amounts_from = header.index(_("Hours"))
    statuses = choice_labels(ClaimStatus.choices)
    rows = []
    totals = [Decimal("0.00")] * (len(header) - amounts_from)
    for claim in claims:
        amounts = [
            claim.hours,
            claim.kilometres,
            claim.fee,
            claim.expenses_total,
            claim.fee + claim.expenses_total,
        ]
        totals = [t + a for t, a in zip(totals, amounts, strict=True)]
        rows.append(
            [
                short_reference(claim.uuid),
                short_reference(claim.request_uuid),
                claim.case_number,
                # Claims sent before payee details existed: the guardian is the payee.
                claim.payee_name or f"{claim.guardian_first_name} {claim.guardian_last_name}",
                format_iban(claim.payee_iban),
                claim.payee_business_id,
                _vat(claim.payee_vat_registered),
                claim.period_start,
                claim.period_end,
                statuses.get(claim.status, claim.status),
                claim.paid_at,
                claim.payment_reference,
                *amounts,
            ]
        )
    return header, rows, totals, amounts_from


def _vat(registered):
    return {True: _("yes"), False: _("no")}.get(registered, "")


def _finnish(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return value


def as_csv(claims, filename):
    """The claims as a CSV attachment: Finnish decimals and dates, the totals last."""
    header, rows, totals, amounts_from = claim_rows(claims)
    rows = [[_finnish(v) for v in row] for row in rows]
    rows.append([_("Total"), *[""] * (amounts_from - 1), *[_finnish(t) for t in totals]])
    return csv_response(filename, header, rows)


def _write(sheet, row, values, bold=False):
    """Row `row` of `sheet`: text as typed strings (openpyxl would make "=..." a formula),
    dates and amounts as numbers with their formats."""
    for column, value in enumerate(values, 1):
        cell = sheet.cell(row=row, column=column)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = TYPE_STRING
        elif isinstance(value, Decimal):
            cell.number_format = MONEY
        elif isinstance(value, datetime.date):
            cell.number_format = DATE
        if bold:
            cell.font = Font(bold=True)


def as_xlsx(claims, title):
    header, rows, totals, amounts_from = claim_rows(claims)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Claims")[:31]
    lines = [[title], header, *rows, [_("Total"), *[None] * (amounts_from - 1), *totals]]
    for number, values in enumerate(lines, 1):
        _write(sheet, number, values, bold=number in (1, 2, len(lines)))
    widths = [12, 12, 16, 24, 12, 12, 14, 12, 18, 8, 12, 12, 12]
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
