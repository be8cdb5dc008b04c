"""Erasing personal data in place, for retention.

Each model declares its personal fields once, as {field: what retention writes}; the same
declaration keeps them out of the change history (django-pghistory's `exclude`), which
retention could not erase.
"""

import calendar

from django.db.models import Case, Value, When
from django.utils import timezone

# What stands where personal text was, so a reader sees it was there (and constraints
# such as "a declined proposal has a reason" still hold).
ERASED = "–"


def erasure(personal_fields):
    """update() arguments erasing `personal_fields`. A field erased to ERASED keeps an
    empty value empty: only text that was given is marked as erased."""
    values = {}
    for name, replacement in personal_fields.items():
        if replacement == ERASED:
            values[name] = Case(When(**{name: ""}, then=Value("")), default=Value(ERASED))
        else:
            values[name] = replacement
    return values


def years_ago(years, now=None):
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def months_ago(months, now=None):
    """The moment `months` calendar months before `now` (local time); a day the earlier
    month lacks (the 31st, 29 February) becomes its last day."""
    now = timezone.localtime(now or timezone.now())
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)
