"""The application's role cannot change the access log or the history, even by SQL."""

import io
import json
import uuid

import pghistory
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from pghistory.models import Context
from psycopg import sql

from common.dbroles import context_table, protected_tables
from guardianship.enums import AccessAction, Urgency
from guardianship.factories import GuardianshipRequestFactory
from guardianship.models import AccessLog, GuardianshipRequest
from guardianship.tests.helpers import request_form_data

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


def execute(cursor, statement, params=()):
    # As plain text: pghistory's context injection cannot read psycopg's Composed.
    if isinstance(statement, sql.Composable):
        statement = statement.as_string(cursor.connection)
    cursor.execute(statement, params)


def set_local_role(role):
    with connection.cursor() as cursor:
        execute(cursor, sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))


def reset_role():
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def as_role(role, statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        set_local_role(role)
        execute(cursor, statement, params)


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


def test_the_context_table_is_not_among_the_fully_protected_ones():
    # pghistory upserts it within a transaction, so it has protections of its own.
    assert context_table() == "pghistory_context"
    assert context_table() not in protected_tables()


def test_the_app_role_records_history_and_completes_its_context_in_one_transaction(
    app_role, coordinator
):
    """pghistory upserts the context row when its metadata grows later in the same
    transaction (here after a savepoint, as a view's nested atomic block makes)."""
    request = GuardianshipRequestFactory()
    set_local_role(app_role)
    with pghistory.context(url="/requests/x/edit/", user=None) as context:
        with transaction.atomic():  # the context row is written inside this savepoint
            request.urgency = Urgency.URGENT
            request.save(update_fields=["urgency"])
        pghistory.context(user=coordinator.pk)  # as when a view sets request.user
        request.urgency = Urgency.NORMAL
        request.save(update_fields=["urgency"])
    reset_role()

    assert Context.objects.get(id=context.id).metadata == {
        "url": "/requests/x/edit/",
        "user": coordinator.pk,
    }
    changes = request.history.filter(pgh_context_id=context.id).order_by("pgh_id")
    assert [event.urgency for event in changes] == [Urgency.URGENT, Urgency.NORMAL]


def test_a_request_filed_through_the_portal_as_the_app_role_has_its_history_and_context(
    app_role, client, sw_pori
):
    client.force_login(sw_pori)
    set_local_role(app_role)
    url = reverse("guardianship:request_create")
    assert client.post(url, request_form_data()).status_code == 302
    reset_role()

    events = GuardianshipRequest.objects.get().history.order_by("pgh_id")
    assert events[0].pgh_label == "insert"
    (context,) = {event.pgh_context for event in events}  # one request, one context
    assert context.metadata == {"user": sw_pori.pk, "url": url}


# What the trigger on the context table (migration common/0001) says.
EARLIER = "UPDATE of a context written by an earlier transaction refused"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_context_of_an_earlier_transaction_cannot_be_changed_or_removed(app_role):
    """Real transactions here: the protection is about rows another transaction wrote."""
    with pghistory.context(url="/first/", user=None) as context:
        with transaction.atomic():
            set_local_role(app_role)
            request = GuardianshipRequestFactory()
        # A later transaction of the same context may attach more history to the row as
        # it is: pghistory's upsert changes nothing when the metadata is the same.
        with transaction.atomic():
            set_local_role(app_role)
            request.urgency = Urgency.URGENT
            request.save(update_fields=["urgency"])
        # But not rewrite who it was, not even through pghistory's own upsert.
        pghistory.context(user=12345)
        with pytest.raises(DatabaseError, match=EARLIER), transaction.atomic():
            set_local_role(app_role)
            request.urgency = Urgency.NORMAL
            request.save(update_fields=["urgency"])
    assert request.history.filter(pgh_context_id=context.id).count() == 2

    # Nor by forging pghistory's settings in SQL, nor by a plain UPDATE.
    forged = "SELECT set_config('pghistory.context_id', %s, true), "
    forged += "set_config('pghistory.context_metadata', %s, true)"
    with (
        pytest.raises(DatabaseError, match=EARLIER),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        set_local_role(app_role)
        cursor.execute(forged, [str(context.id), json.dumps({"user": 12345})])
        cursor.execute(
            "UPDATE guardianship_guardianshiprequest SET urgency = 'normal' WHERE id = %s",
            [request.pk],
        )
    table = sql.Identifier(context_table())
    with pytest.raises(DatabaseError, match=EARLIER):
        as_role(app_role, sql.SQL("UPDATE {} SET metadata = '{{}}'").format(table))
    # Columns other than the two the upsert sets are not the app role's to change at all.
    with pytest.raises(DatabaseError, match="permission denied"):
        as_role(app_role, sql.SQL("UPDATE {} SET created_at = now()").format(table))
    for statement in ("DELETE FROM {}", "TRUNCATE {}"):
        with pytest.raises(DatabaseError, match="permission denied"):
            as_role(app_role, sql.SQL(statement).format(table))
    # The trigger holds for the owner too: an old context is never rewritten or deleted.
    for statement, refused in (
        ("UPDATE {} SET metadata = '{{}}'", EARLIER),
        ("DELETE FROM {}", "DELETE refused"),
    ):
        with pytest.raises(DatabaseError, match=refused), transaction.atomic():
            execute(connection.cursor(), sql.SQL(statement).format(table))

    assert Context.objects.get(id=context.id).metadata == {"url": "/first/", "user": None}
    # The app role may still start new contexts.
    as_role(
        app_role,
        sql.SQL(
            "INSERT INTO {} (id, metadata, created_at, updated_at) "
            "VALUES (gen_random_uuid(), '{{}}', now(), now())"
        ).format(table),
    )
    assert Context.objects.count() == 2


def test_granting_to_a_role_that_does_not_exist_says_what_to_do():
    with pytest.raises(CommandError, match="There is no database role pikassos_nobody"):
        call_command("database_grants", "pikassos_nobody", apply=True, stdout=io.StringIO())


def test_the_role_gets_its_bounded_waits(app_role):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolconfig FROM pg_roles WHERE rolname = %s", [app_role])
        config = cursor.fetchone()[0]
    assert {"statement_timeout=30s", "lock_timeout=5s"} <= set(config)


def test_retention_run_as_the_application_role_stops_first_with_one_line(app_role):
    set_local_role(app_role)
    try:
        with pytest.raises(CommandError, match="must run as the database owner"):
            call_command("apply_retention", stdout=io.StringIO())
    finally:
        reset_role()
