"""Row values for long lists, computed once per page in Python.

Django's `get_FOO_display()` rebuilds a dict of the field's choices on every call,
hashing (so translating) each lazy label, and `get_absolute_url()` reverses a URL
pattern per row; on a 50-row page these were most of the rendering time.
"""

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format

_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def choice_labels(choices):
    """{value: label} translated once into the active language."""
    return {value: str(label) for value, label in choices}


def uuid_url(viewname):
    """A function uuid -> URL of `viewname`, which takes `uuid`, reversing it once."""
    pattern = reverse(viewname, kwargs={"uuid": _PLACEHOLDER})
    return lambda uuid: pattern.replace(_PLACEHOLDER, str(uuid))


def slug_url(viewname):
    """A function slug -> URL of `viewname`, which takes `slug`, reversing it once."""
    pattern = reverse(viewname, kwargs={"slug": "-"})
    head, tail = pattern.rsplit("/-/", 1)
    return lambda slug: f"{head}/{slug}/{tail}"


def short_dates(format_name="SHORT_DATE_FORMAT"):
    """A function formatting a date or a datetime (in local time) in the active
    language's format `format_name` (a name from django.conf.locale, such as
    SHORT_DATETIME_FORMAT or TIME_FORMAT), the format looked up once for a whole page of
    rows."""
    pattern = get_format(format_name)
    zone = timezone.get_current_timezone()

    def short_date(value, empty="–"):
        if value is None:
            return empty
        if hasattr(value, "tzinfo"):
            value = timezone.localtime(value, zone)
        return dateformat.format(value, pattern)

    return short_date
