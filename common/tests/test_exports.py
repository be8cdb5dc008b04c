import codecs
import csv
import io

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
