import datetime
import uuid

from django.urls import reverse
from django.utils import translation

from common.display import choice_labels, short_dates, uuid_url
from guardianship.enums import State


def test_short_dates_in_the_active_language_and_finnish_time():
    late_evening_utc = datetime.datetime(2026, 3, 5, 23, 30, tzinfo=datetime.UTC)
    with translation.override("fi"):
        short_date = short_dates()
        assert short_date(late_evening_utc) == "6.3.2026"  # already the 6th in Helsinki
        assert short_date(datetime.date(2026, 3, 5)) == "5.3.2026"
        assert short_date(None) == "–"
    # Finland-Swedish readers write dates as Finns do (issue 16, part 7).
    with translation.override("sv"):
        assert short_dates()(datetime.date(2026, 3, 5)) == "5.3.2026"


def test_short_dates_in_another_format_of_the_language():
    late_evening_utc = datetime.datetime(2026, 3, 5, 23, 30, tzinfo=datetime.UTC)
    with translation.override("fi"):
        assert short_dates("SHORT_DATETIME_FORMAT")(late_evening_utc) == "6.3.2026 1.30"
        assert short_dates("TIME_FORMAT")(late_evening_utc) == "1.30"


def test_choice_labels_are_translated_once_into_plain_text():
    with translation.override("fi"):
        labels = choice_labels(State.choices)
    assert labels["searching"] == "Edunvalvojaa etsitään"
    assert type(labels["searching"]) is str


def test_uuid_url_is_the_reversed_url():
    key = uuid.uuid4()
    url = uuid_url("guardianship:request_detail")
    assert url(key) == reverse("guardianship:request_detail", kwargs={"uuid": key})
