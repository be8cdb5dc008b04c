"""The planner's plan of a query, for the tests that check a page is read through its
indexes: EXPLAIN, after fresh statistics of the test rows (`analyze`: the planner's
guesses for an unread table shift with a row's width) and with some plan kinds off
(`off`, such as "seqscan" and "sort": the small test data cannot hide a missing index).
The settings last until the test's transaction ends."""

from django.db import connection


def explain(sql, params=(), *, analyze=(), off=(), options=""):
    with connection.cursor() as cursor:
        for table in analyze:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        for kind in off:
            cursor.execute(f"SET LOCAL enable_{kind} = off")
        cursor.execute(f"EXPLAIN {options} {sql}", params)
        return "\n".join(line for (line,) in cursor.fetchall())
