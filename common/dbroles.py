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


def role_settings_statements(role, timeouts):
    """ALTER ROLE ... SET for the web role's bounded waits (DATABASE_ROLE_TIMEOUTS): they
    apply to every new session of the role, also through PgBouncer, which refuses them as
    startup options."""
    r = sql.Identifier(role)
    return [
        sql.SQL("ALTER ROLE {} SET {} = {}").format(r, sql.Identifier(name), sql.Literal(value))
        for name, value in timeouts.items()
    ]


def grantees(conn, table="django_session"):
    """The roles other than the owner that hold privileges on `table` (a psycopg
    connection): the application's roles, whose grants a restore must give back."""
    rows = conn.execute(
        "SELECT DISTINCT pg_get_userbyid(a.grantee) FROM pg_class c, aclexplode(c.relacl) a "
        "WHERE c.oid = to_regclass(%s) AND a.grantee <> c.relowner AND a.grantee <> 0 "
        "ORDER BY 1",
        [f"public.{table}"],
    ).fetchall()
    return [name for (name,) in rows]


def missing_privileges(conn, tables, privileges):
    """The tables (of `tables`) on which the current user lacks `privileges`."""
    rows = conn.execute(
        "SELECT t FROM unnest(%s::text[]) AS t "
        "WHERE to_regclass(t) IS NOT NULL AND NOT has_table_privilege(current_user, t, %s)",
        [list(tables), privileges],
    ).fetchall()
    return [name for (name,) in rows]


def role_problem(conn, role):
    """Why `role` cannot be given its grants by the current user, in one line, or ""."""
    if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
        return (
            f"There is no database role {role}: create it first "
            f"(CREATE ROLE {role} LOGIN PASSWORD '...'), then run this again."
        )
    owns_all = conn.execute(
        "SELECT coalesce(bool_and(pg_has_role(current_user, c.relowner, 'USAGE')), true) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v')"
    ).fetchone()[0]
    if not owns_all:
        user = conn.execute("SELECT current_user").fetchone()[0]
        return (
            f"The role {user} does not own the portal's tables and cannot grant on them: "
            "run this as the owner (the role that runs the migrations)."
        )
    return ""
