"""Files to download."""

import io

from defusedcsv import csv
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


def csv_response(filename, header, rows):
    """A CSV attachment Excel opens as it is: UTF-8 with a byte order mark, semicolons;
    no cell can start a formula."""
    # Written to memory and encoded once: the response's own write() encodes each row
    # (a third of a 10 000-row export's time; issue 18).
    text = io.StringIO()
    # Without the byte order mark Excel reads the file as Windows-1252: "KÃ¤sittelyssÃ¤".
    text.write("\ufeff")
    writer = csv.writer(text, delimiter=";")
    writer.writerow([neutralise(v) for v in header])
    writer.writerows([neutralise(v) for v in row] for row in rows)
    response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
