"""The application's role cannot change the access log or the history, even by SQL."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from psycopg import sql

from common.dbroles import protected_tables
from guardianship.enums import AccessAction
from guardianship.factories import GuardianshipRequestFactory
from guardianship.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_role():
    role = f"pikassos_app_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
    call_command("database_grants", role, apply=True, stdout=io.StringIO())
    yield role
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
        cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def as_role(role, statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
        cursor.execute(statement, params)


def test_the_protected_tables_are_the_access_log_the_timeline_and_every_history_table():
    tables = protected_tables()
    assert "guardianship_accesslog" in tables
    assert "guardianship_requestevent" in tables
    assert "guardianship_guardianshiprequestevent" in tables
    assert "municipalities_organisationevent" in tables


def test_the_app_role_can_insert_but_not_update_or_delete_the_log_or_history(app_role):
    request = GuardianshipRequestFactory()  # its insert writes a history row too
    AccessLog.objects.create(username="someone", action=AccessAction.VIEW, request=request)
    as_role(
        app_role,
        "INSERT INTO guardianship_accesslog (at, username, role, action, outcome, path, basis) "
        "VALUES (now(), 'x', '', 'view', 'allowed', '', '')",
    )
    # A column of each table to update: the history tables all have pgh_label.
    columns = {"guardianship_accesslog": "username", "guardianship_requestevent": "text"}
    for table in protected_tables():
        column = sql.Identifier(columns.get(table, "pgh_label"))
        for statement in (
            sql.SQL("UPDATE {} SET {} = {}").format(sql.Identifier(table), column, column),
            sql.SQL("DELETE FROM {}").format(sql.Identifier(table)),
            sql.SQL("TRUNCATE {}").format(sql.Identifier(table)),
        ):
            with pytest.raises(DatabaseError, match="permission denied"):
                as_role(app_role, statement)
    # The role still works the portal's own tables.
    as_role(app_role, "UPDATE guardianship_guardianshiprequest SET urgency = urgency")
