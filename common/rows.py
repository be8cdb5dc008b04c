"""Small related rows read inside their parent's query as arrays of JSON objects, so a
page spends no query of its own on them (issue 18: at most 12 queries a page)."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models.functions import JSONObject


def rows_of(queryset, *fields):
    """An annotation: `queryset`'s rows, in its order, each a JSON object of `fields`
    (filter `queryset` by an OuterRef first)."""
    return ArraySubquery(queryset.values(row=JSONObject(**{name: name for name in fields})))


def instances(model, rows):
    """Unsaved `model` instances of rows read by `rows_of`, for display only: each value
    is turned back from JSON by its field (a date from its ISO text, for instance)."""
    meta = model._meta
    return [
        model(**{name: meta.get_field(name).to_python(value) for name, value in row.items()})
        for row in rows
    ]
