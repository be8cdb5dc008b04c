"""Grants for the application's database role.

The portal runs as a role that may read and write its tables but may not UPDATE,
DELETE or TRUNCATE the access log, the requests' timeline or the change-history tables
(every `AppendOnlyModel` and pghistory event table). django-pghistory's context table
(who and which URL, for every history row) it may insert into and upsert in the
transaction that wrote the row, which pghistory needs; a trigger (migration
common/0001) refuses the UPDATE of an older context and any DELETE, and the role has no
DELETE or TRUNCATE there either, nor UPDATE of more than the two columns the upsert sets.
Migrations and `apply_retention` (which purges the old access log) run as the owner role.
"""

import pghistory.models
from django.apps import apps
from psycopg import sql

from common.models import AppendOnlyModel


def protected_tables():
    """Every append-only table (the access log) and every django-pghistory event table."""
    tables = []
    for model in apps.get_models():
        meta = model._meta
        protected = issubclass(model, AppendOnlyModel | pghistory.models.Event)
        if protected and meta.managed and not meta.proxy:
            tables.append(meta.db_table)
    return sorted(set(tables))


def context_table():
    """django-pghistory's context table: inserted and upserted, never deleted."""
    return pghistory.models.Context._meta.db_table


# The columns pghistory's upsert (`_pgh_attach_context()`) sets on a conflict.
CONTEXT_UPSERT_COLUMNS = ("metadata", "updated_at")


def grant_statements(role):
    """SQL (psycopg Composed objects) giving `role` what the portal needs, no more."""
    r = sql.Identifier(role)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(r),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            r
        ),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(r),
    ]
    for table in protected_tables():
        statements.append(
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                sql.Identifier(table), r
            )
        )
    context = sql.Identifier(context_table())
    columns = sql.SQL(", ").join(map(sql.Identifier, CONTEXT_UPSERT_COLUMNS))
    statements += [
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(context, r),
        sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(columns, context, r),
    ]
    return statements
