"""The template helpers of issue 16, parts 6 and 8."""

import datetime
import zoneinfo

from django.template import Context, Template
from django.test import RequestFactory, override_settings

from common.templatetags.portal import machine_datetime

HELSINKI = zoneinfo.ZoneInfo("Europe/Helsinki")


@override_settings(TIME_ZONE="Europe/Helsinki")
def test_a_time_element_gets_its_moment_to_the_second_in_local_time():
    moment = datetime.datetime(2026, 11, 30, 17, 48, 5, 123456, tzinfo=datetime.UTC)
    # HTML allows at most three decimals of a second; `date:"c"` writes six.
    assert machine_datetime(moment) == "2026-11-30T19:48:05+02:00"
    assert machine_datetime(datetime.date(2026, 11, 30)) == "2026-11-30"
    assert machine_datetime(None) == ""


def filtered(query):
    request = RequestFactory().get("/list/" + query)
    template = Template("{% load portal %}{% filters_active as f %}{{ f }}")
    return template.render(Context({"request": request}))


def test_the_filters_show_open_only_while_a_filter_is_set():
    assert filtered("") == "False"
    assert filtered("?page=2") == "False"
    assert filtered("?q=&state=") == "False"
    assert filtered("?q=&state=received&page=2") == "True"
