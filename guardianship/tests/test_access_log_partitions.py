"""The access log's shape for its twelve years (issue 18, migration 0022): one row per page
view naming its children, monthly partitions that retention drops whole, never a month
younger than a year, and no way for the application's role around the parent table."""

import datetime
import io
import uuid

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from psycopg import sql

from guardianship import access_report
from guardianship.enums import AccessAction, AccessBasis
from guardianship.factories import GuardianshipRequestFactory
from guardianship.models import AccessLog
from guardianship.retention import add_access_log_partitions, purge_access_log
from tests.plans import explain

BEFORE = [("guardianship", "0022_mandate_reminder")]


def migrate(targets=None):
    """To `targets`, or back to the latest migration of every app (the leaves): the rest
    of the run needs the whole schema, not just the log's migrations."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def partition_of(row_id):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM guardianship_accesslog WHERE id = %s", [row_id]
        )
        return cursor.fetchone()[0]


def partitions():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'guardianship_accesslog'::regclass ORDER BY 1"
        )
        return [name for (name,) in cursor.fetchall()]


def month_name(at):
    return f"guardianship_accesslog_y{at:%Y}m{at:%m}"


def log_at(at, **fields):
    return AccessLog.objects.create(username="u", action=AccessAction.VIEW, at=at, **fields)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_every_row_of_the_old_log(sw_pori):
    """The old one-row-per-child log becomes rows naming one child each (or none), with
    their ids, times, people, bases and requests; and back again."""
    long_ago = timezone.now() - datetime.timedelta(days=5 * 365)
    request = GuardianshipRequestFactory(children=2)
    # Made before the e-mail about it, as every request is before its log rows.
    type(request).objects.filter(pk=request.pk).update(created_at=long_ago)
    first, second = request.children.select_related("request").order_by("pk")
    migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO guardianship_accesslog (id, at, username, role, action, outcome, "
                "path, basis, user_id, child_id, request_id, recipient) VALUES "
                "(101, %(now)s, 'bob', 'social_worker', 'list', 'allowed', '/r/', "
                " 'team_member', %(user)s, %(first)s, %(request)s, ''), "
                "(102, %(now)s, 'bob', 'social_worker', 'list', 'allowed', '/r/', "
                " 'team_member', %(user)s, %(second)s, %(request)s, ''), "
                "(103, %(old)s, 'system', '', 'disclose', 'allowed', '', 'coordinator', "
                " NULL, NULL, %(request)s, 'kirjaamo@pori.example.invalid')",
                {
                    "now": timezone.now(),
                    "old": long_ago,
                    "user": sw_pori.pk,
                    "first": first.pk,
                    "second": second.pk,
                    "request": request.pk,
                },
            )
    finally:
        migrate()
    rows = {row.pk: row for row in AccessLog.objects.filter(pk__in=[101, 102, 103]).order_by("pk")}
    assert [(r.children, r.request_id, r.user_id) for r in rows.values()] == [
        ([first.pk], request.pk, sw_pori.pk),
        ([second.pk], request.pk, sw_pori.pk),
        ([], request.pk, None),
    ]
    assert rows[103].recipient == "kirjaamo@pori.example.invalid"
    assert rows[103].at == long_ago
    assert partition_of(103) == f"accesslog_partitions.{month_name(long_ago)}"
    # Both children's reports find their rows, and the request's e-mail.
    assert set(AccessLog.objects.about_child(first).values_list("pk", flat=True)) == {101, 103}
    # New rows take ids after the old ones.
    assert log_at(timezone.now()).pk > 103


@pytest.mark.django_db
def test_an_insert_lands_in_its_month_and_a_stray_one_is_moved_there():
    now = timezone.now()
    row = log_at(now)
    assert partition_of(row.pk) == f"accesslog_partitions.{month_name(now)}"
    # Three months ahead exist already: an insert never waits for the worker.
    ahead = now + datetime.timedelta(days=80)
    assert month_name(ahead) in partitions()
    # A month with no partition (far back) goes to the default one, never fails ...
    long_ago = now - datetime.timedelta(days=3 * 365)
    stray = log_at(long_ago, children=[1, 2])
    assert partition_of(stray.pk) == "accesslog_partitions.guardianship_accesslog_default"
    # ... and the daily job moves it to a month of its own, keeping it whole.
    add_access_log_partitions()
    assert partition_of(stray.pk) == f"accesslog_partitions.{month_name(long_ago)}"
    assert AccessLog.objects.get(pk=stray.pk).children == [1, 2]
    assert AccessLog.objects.count() == 2


@pytest.mark.django_db
def test_retention_drops_whole_months_past_the_period_and_never_one_younger_than_a_year():
    now = timezone.now()
    old = log_at(now - datetime.timedelta(days=3 * 365))
    kept = log_at(now - datetime.timedelta(days=2 * 365 - 40))
    young = log_at(now - datetime.timedelta(days=100))
    add_access_log_partitions()
    old_month = month_name(old.at)
    assert old_month in partitions()

    assert purge_access_log(2) == 1
    # The old month's partition is gone (no DELETE, nothing to vacuum); the others stay.
    assert old_month not in partitions()
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {kept.pk, young.pk}

    # Asked for less than a year, retention keeps the year ...
    purge_access_log(0)
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {young.pk}
    # ... and the database refuses whoever asks the function directly.
    with (
        pytest.raises(DatabaseError, match="younger than a year"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT * FROM guardianship_accesslog_retire(now())")
    assert AccessLog.objects.filter(pk=young.pk).exists()


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


@pytest.mark.django_db
def test_the_app_role_reaches_the_log_only_through_its_parent_table(app_role):
    """The app role inserts a row naming children, but can neither touch a month's
    partition directly (the grants of the public schema's tables do not reach them) nor
    retire a month."""
    now = timezone.now()
    row = log_at(now, children=[7], basis=AccessBasis.COORDINATOR)
    month = f"accesslog_partitions.{month_name(now)}"
    statements = [
        f"UPDATE {month} SET username = 'x'",
        f"DELETE FROM {month}",
        f"TRUNCATE {month}",
        f"SELECT * FROM {month}",
        "SELECT * FROM guardianship_accesslog_retire(now() - interval '5 years')",
        "UPDATE guardianship_accesslog SET username = 'x'",
        "DELETE FROM guardianship_accesslog",
    ]
    for statement in statements:
        with (
            pytest.raises(DatabaseError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(app_role)))
            cursor.execute(statement)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(app_role)))
        cursor.execute(
            "INSERT INTO guardianship_accesslog (at, username, role, action, outcome, path, "
            "basis, children) VALUES (now(), 'x', '', 'list', 'allowed', '', '', '{7,8}') "
            "RETURNING id"
        )
        inserted = cursor.fetchone()[0]
    assert partition_of(inserted) == month
    assert set(AccessLog.objects.filter(children__contains=[7]).values_list("pk", flat=True)) == {
        row.pk,
        inserted,
    }


@pytest.mark.django_db
def test_a_childs_report_reads_only_the_months_since_its_request_was_made(sw_pori):
    """A child of a request made two months ago: its report's plan scans the months from
    then on, not the twelve years before (issue 18: the report stays fast as the log
    grows), and still finds every row naming the child."""
    now = timezone.now()
    made = now - datetime.timedelta(days=62)
    request = GuardianshipRequestFactory(children=1)
    type(request).objects.filter(pk=request.pk).update(created_at=made)
    child = request.children.select_related("request").get()
    old = log_at(now - datetime.timedelta(days=3 * 365), children=[child.pk + 1000])
    seen = [
        log_at(made + datetime.timedelta(hours=1), children=[child.pk]),
        log_at(now, children=[child.pk]),
    ]
    about = log_at(now, request=request, recipient="kirjaamo@pori.example.invalid")
    add_access_log_partitions()
    assert month_name(old.at) in partitions()

    entries = access_report.entries_for(child)
    assert [e.pk for e in entries] == [seen[0].pk, seen[1].pk, about.pk]
    sql_text, params = entries.query.sql_with_params()
    plan = explain(sql_text, params)
    scanned = {
        name for name in partitions() if name in plan and name != "guardianship_accesslog_default"
    }
    first_month = made.astimezone(datetime.UTC).replace(day=1) - datetime.timedelta(days=1)
    assert month_name(old.at) not in scanned
    assert scanned and all(name >= month_name(first_month) for name in scanned)


@pytest.mark.django_db
def test_a_childs_report_pages_through_its_months_in_order(sw_pori, django_assert_max_num_queries):
    """A child on lists for three years: the report's pages, read window by window from
    the request on (issue 18: its first page no longer sorts every row), are the whole
    report in order, oldest first, each page ending where the next begins."""
    now = timezone.now()
    made = now - datetime.timedelta(days=3 * 365)
    request = GuardianshipRequestFactory(children=1)
    type(request).objects.filter(pk=request.pk).update(created_at=made)
    child = request.children.select_related("request").get()
    # Uneven months: some empty, one busy, two rows at one moment, the last one now.
    moments = [made + datetime.timedelta(days=d, hours=1) for d in (0, 0, 1, 40, 41, 300)]
    moments += [made + datetime.timedelta(days=700, minutes=m) for m in range(7)]
    moments += [now]
    for at in reversed(moments):  # written out of order: the report orders them
        log_at(at, children=[child.pk])
    log_at(now, children=[child.pk + 1000])  # another child's
    add_access_log_partitions()
    whole = [e.pk for e in access_report.entries_for(child)]
    assert len(whole) == len(moments)

    pages, number = [], 1
    while True:
        with django_assert_max_num_queries(8):
            page = access_report.page_of_entries(child, str(number), 4)
        pages.append([e.pk for e in page.object_list])
        if not page.has_next:
            break
        number += 1
    assert [len(p) for p in pages] == [4, 4, 4, 2]
    assert sum(pages, []) == whole
    # Past the end: an empty page; nonsense: the first.
    assert access_report.page_of_entries(child, "9", 4).object_list == []
    assert [e.pk for e in access_report.page_of_entries(child, "x", 4)] == pages[0]
