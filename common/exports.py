"""Files to download."""

import csv

from django.http import HttpResponse


def csv_response(filename, header, rows):
    """A CSV attachment Excel opens as it is: UTF-8 with a byte order mark, semicolons."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Without the byte order mark Excel reads the file as Windows-1252: "KÃ¤sittelyssÃ¤".
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return response
