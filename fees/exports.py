"""Approved and paid fee claims of one payer and period, as CSV and XLSX for the payer.

What the payer needs to pay and to book, and no more (issue 15, part 8): the claim's and
the request's references, the court's case number, the period, the amounts and the
payment; never a child's name. Every text cell is written as text: in the XLSX as a
typed string (never a formula, whatever its first character), in the CSV neutralised as
OWASP's CSV-injection advice says (common.exports, with defusedcsv).
"""

import datetime
import io
from decimal import Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from common.exports import csv_response

MONEY = "#,##0.00"
DATE = "DD.MM.YYYY"


def claim_rows(claims):
    """(header, rows, totals, amounts_from): Decimal amounts, the amount columns last from
    index `amounts_from`. `claims` come with their assignment, request and expenses."""
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
    rows = []
    totals = [Decimal("0.00")] * (len(header) - amounts_from)
    for claim in claims:
        request = claim.assignment.request
        amounts = [claim.hours, claim.kilometres, claim.fee, claim.expenses_total, claim.total]
        totals = [t + a for t, a in zip(totals, amounts, strict=True)]
        rows.append(
            [
                claim.reference,
                request.reference,
                request.case_number,
                # Claims sent before payee details existed: the guardian is the payee.
                claim.payee_name or claim.assignment.guardian.full_name,
                claim.payee_iban_display,
                claim.payee_business_id,
                _vat(claim.payee_vat_registered),
                claim.period_start,
                claim.period_end,
                claim.get_status_display(),
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
