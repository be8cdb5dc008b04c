"""Approved fee claims of one payer and period, as CSV and XLSX for invoicing."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from common.exports import csv_response

MONEY = "#,##0.00"


def claim_rows(claims):
    """(header, rows, totals) with Decimal amounts; `claims` prefetched with expenses."""
    header = [
        _("Claim"),
        _("Request"),
        _("Case number"),
        _("Children"),
        _("Guardian"),
        _("Period start"),
        _("Period end"),
        _("Hours"),
        _("Fee (€)"),
        _("Expenses (€)"),
        _("Total (€)"),
    ]
    rows = []
    totals = [Decimal("0.00")] * 4
    for claim in claims:
        request = claim.assignment.request
        amounts = [claim.hours, claim.fee, claim.expenses_total, claim.total]
        totals = [t + a for t, a in zip(totals, amounts, strict=True)]
        rows.append(
            [
                claim.reference,
                request.reference,
                request.case_number,
                ", ".join(c.full_name for c in request.children.all()),
                claim.assignment.guardian.full_name,
                claim.period_start,
                claim.period_end,
                *amounts,
            ]
        )
    return header, rows, totals


def _finnish(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return value


def as_csv(claims, filename):
    """The claims as a CSV attachment: Finnish decimals and dates, the totals last."""
    header, rows, totals = claim_rows(claims)
    rows = [[_finnish(v) for v in row] for row in rows]
    rows.append([_("Total"), "", "", "", "", "", "", *[_finnish(t) for t in totals]])
    return csv_response(filename, header, rows)


def as_xlsx(claims, title):
    header, rows, totals = claim_rows(claims)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Claims")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.append([_("Total"), None, None, None, None, None, None, *totals])
    last = sheet.max_row
    for cell in sheet[last]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=3, max_row=last):
        for cell in row[5:7]:
            cell.number_format = "DD.MM.YYYY"
        for cell in row[7:]:
            cell.number_format = MONEY
    for column, width in zip(
        "ABCDEFGHIJK", [12, 12, 16, 30, 24, 12, 12, 8, 12, 12, 12], strict=True
    ):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
