"""Files to download."""

import csv
import functools
import io
import itertools
from decimal import Decimal

from defusedcsv.csv import _escape as defused
from django.http import HttpResponse

# OWASP's CSV injection advice: a cell beginning with one of these is read as a formula by
# a spreadsheet. defusedcsv prefixes "=", "+", "-", "@", "|" and "%" with an apostrophe
# (numbers such as "-1,50" are left alone); a leading tab or carriage return, which OWASP
# lists too, it leaves, so they are prefixed here the same way.
CONTROL_STARTS = ("\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(CONTROL_STARTS):
        return "'" + value
    return value


def safe_cell(value):
    """`value` as a cell no spreadsheet reads as a formula: defusedcsv's rule (the
    function its writer applies to each cell) and then the control characters'."""
    return neutralise(defused(value))


# Cells defusedcsv writes as they are (None and numbers): no call needed.
AS_THEY_ARE = frozenset({type(None), int, float, bool, Decimal})


def _safe_rows(rows):
    """`rows` with each cell made safe. An export's text cells repeat (states,
    organisations, dates), so each distinct one is made safe once, remembered for this
    file only (no personal data kept after it). Only str is remembered: equal values of
    other types may print differently (Decimal("1.50") == Decimal("1.5"), True == 1).
    Two passes over every cell in Python were a third of a 5 000-row export's time
    (issue 18)."""
    safe_text = functools.lru_cache(maxsize=None)(safe_cell)
    for row in rows:
        yield [
            v if type(v) in AS_THEY_ARE else safe_text(v) if type(v) is str else safe_cell(v)
            for v in row
        ]


def csv_response(filename, header, rows):
    """A CSV attachment Excel opens as it is: UTF-8 with a byte order mark, semicolons;
    no cell can start a formula."""
    # Written to memory and encoded once: the response's own write() encodes each row
    # (a third of a 10 000-row export's time; issue 18).
    text = io.StringIO()
    # Without the byte order mark Excel reads the file as Windows-1252: "KÃ¤sittelyssÃ¤".
    text.write("\ufeff")
    writer = csv.writer(text, delimiter=";")
    writer.writerows(_safe_rows(itertools.chain([header], rows)))
    response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
