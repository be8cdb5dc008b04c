import codecs
import csv
import io
from decimal import Decimal

from common.exports import csv_response


def test_csv_response_is_an_attachment_excel_reads_as_utf8():
    response = csv_response("tilastot.csv", ["Kunta", "Määrä"], [["Säkylä", 3], ["Pori; itä", ""]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="tilastot.csv"'
    assert response.content.startswith(codecs.BOM_UTF8)
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Kunta;Määrä"
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [
        ["Kunta", "Määrä"],
        ["Säkylä", "3"],
        ["Pori; itä", ""],
    ]


def test_csv_response_takes_a_generator_of_rows():
    response = csv_response("x.csv", ["a"], ([n] for n in range(3)))
    assert response.content.decode("utf-8-sig").split() == ["a", "0", "1", "2"]


def test_every_dangerous_cell_is_neutralised_however_often_it_repeats():
    rows = [["=1+2", "\tx", "-1,50", "Pori"] for _ in range(3)]
    text = csv_response("x.csv", ["=head"], rows).content.decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert parsed[0] == ["'=head"]
    # A negative number stays a number (defusedcsv's rule).
    assert parsed[1:] == [["'=1+2", "'\tx", "-1,50", "Pori"]] * 3


def test_equal_values_of_other_types_keep_their_own_text():
    rows = [
        ["1.50", Decimal("1.50"), True, None],
        ["1.5", Decimal("1.5"), 1, 0],
        [-1, Decimal("-2.50"), -0.5, "-3"],
    ]
    text = csv_response("x.csv", ["a", "b", "c", "d"], rows).content.decode("utf-8-sig")
    # Negative numbers stay numbers.
    assert text.splitlines()[1:] == ["1.50;1.50;True;", "1.5;1.5;1;0", "-1;-2.50;-0.5;-3"]
