"""Small related rows read inside their parent's query as arrays of JSON objects, so a
page spends no query of its own on them (issue 18: at most 12 queries a page)."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce, JSONObject


def rows_of(queryset, *fields):
    """An annotation: `queryset`'s rows, in its order, each a JSON object of `fields`
    (filter `queryset` by an OuterRef first)."""
    return ArraySubquery(queryset.values(row=JSONObject(**{name: name for name in fields})))


def count_of(queryset, key):
    """An annotation: how many rows of `queryset` (filtered by an OuterRef on `key`)
    there are, 0 for none, as a correlated count: a page of 50 counts its 50, not a
    GROUP BY over the whole table. Counting `key`, not the primary key, lets an index on
    `key` answer alone."""
    return Coalesce(Subquery(queryset.order_by().values(key).annotate(n=Count(key)).values("n")), 0)


def instances(model, rows):
    """Unsaved `model` instances of rows read by `rows_of`, for display only: each value
    is turned back from JSON by its field (a date from its ISO text, for instance)."""
    meta = model._meta
    return [
        model(**{name: meta.get_field(name).to_python(value) for name, value in row.items()})
        for row in rows
    ]
