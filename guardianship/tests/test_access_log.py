import codecs

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from guardianship.enums import AccessAction, AccessOutcome
from guardianship.factories import ChildFactory, GuardianshipRequestFactory
from guardianship.models import AccessLog
from municipalities.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def pori_request():
    return GuardianshipRequestFactory(children=2)


def test_a_view_writes_one_row_per_child(client, sw_pori, pori_request):
    client.force_login(sw_pori)
    assert client.get(pori_request.get_absolute_url()).status_code == 200
    rows = AccessLog.objects.filter(action=AccessAction.VIEW)
    assert rows.count() == 2
    assert {r.child.request_id for r in rows} == {pori_request.pk}
    row = rows.first()
    assert (row.user, row.role, row.outcome) == (sw_pori, "social_worker", AccessOutcome.ALLOWED)
    assert row.at.tzinfo is not None


def test_a_list_writes_rows_for_the_children_shown(client, coordinator, pori_request):
    client.force_login(coordinator)
    client.get(reverse("guardianship:request_list"))
    assert AccessLog.objects.filter(action=AccessAction.LIST, user=coordinator).count() == 2


def test_an_export_is_logged(client, coordinator, pori_request):
    client.force_login(coordinator)
    response = client.get(reverse("guardianship:request_export"))
    assert response.status_code == 200
    assert response.content.startswith(codecs.BOM_UTF8)  # for Excel
    assert pori_request.reference in response.content.decode("utf-8-sig")
    assert AccessLog.objects.filter(action=AccessAction.EXPORT).count() == 2


def test_a_refused_attempt_is_logged_and_answered_404(client, sw_rauma, pori_request):
    client.force_login(sw_rauma)
    assert client.get(pori_request.get_absolute_url()).status_code == 404
    row = AccessLog.objects.get()
    assert row.outcome == AccessOutcome.REFUSED
    assert row.request == pori_request and row.user == sw_rauma


def test_the_coordinator_gets_the_report_of_who_handled_a_childs_data(
    client, coordinator, sw_pori, sw_rauma, pori_request
):
    child = pori_request.children.first()
    for user in (sw_pori, sw_rauma):
        client.force_login(user)
        client.get(pori_request.get_absolute_url())
    client.force_login(coordinator)
    url = reverse("guardianship:child_access_report", kwargs={"uuid": child.uuid})
    html = client.get(url).content.decode()
    assert sw_pori.username in html and sw_rauma.username in html
    csv = client.get(url, {"format": "csv"}).content
    assert csv.startswith(codecs.BOM_UTF8)  # for Excel
    assert sw_pori.username in csv.decode("utf-8-sig")
    # A social worker may not read the report.
    client.force_login(sw_pori)
    assert client.get(url).status_code == 403


def test_update_and_delete_on_the_access_log_fail_at_the_database(client, sw_pori, pori_request):
    client.force_login(sw_pori)
    client.get(pori_request.get_absolute_url())
    for sql in (
        "UPDATE guardianship_accesslog SET username = 'someone-else'",
        "DELETE FROM guardianship_accesslog",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.all().delete()
    assert AccessLog.objects.filter(username=sw_pori.username).count() == 2


def test_admin_views_of_child_data_are_logged(admin_client, pori_request):
    admin_client.get(reverse("admin:guardianship_guardianshiprequest_changelist"))
    admin_client.get(
        reverse("admin:guardianship_guardianshiprequest_change", args=[pori_request.pk])
    )
    assert AccessLog.objects.filter(action=AccessAction.LIST, role="admin").count() == 2
    assert AccessLog.objects.filter(action=AccessAction.VIEW, role="admin").count() == 2


def test_admin_lists_mask_identity_codes(admin_client):
    request = GuardianshipRequestFactory(
        children=0, organisation=Organisation.objects.get(slug="rauma")
    )

    ChildFactory(request=request, identity_code="010115A998H")
    html = admin_client.get(reverse("admin:guardianship_child_changelist")).content.decode()
    assert "010115A***H" in html
    assert "010115A998H" not in html


@pytest.mark.django_db
def test_the_access_log_keeps_its_foreign_keys_and_one_index_per_lookup():
    """Every list page inserts dozens of rows: no index is kept twice (migration 0009)."""
    table = AccessLog._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
        indexes = sorted(row[0].split(" USING btree ")[1] for row in cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        foreign_keys = cursor.fetchone()[0]
    assert indexes == ["(at)", "(child_id, at)", "(id)", "(request_id, at)", "(user_id, at)"]
    assert foreign_keys == 3
