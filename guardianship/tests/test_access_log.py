import codecs
import re

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.factories import make_user
from accounts.roles import Role
from guardianship.access import log_disclosure
from guardianship.enums import AccessAction, AccessBasis, AccessOutcome
from guardianship.factories import ChildFactory, GuardianshipRequestFactory
from guardianship.models import AccessLog
from guardianship.tests.helpers import export_period
from municipalities.models import Organisation


def cell(text):
    """A table cell holding exactly `text` (cells carry their column's label for phones)."""
    return f">{text}</td>"


pytestmark = pytest.mark.django_db


@pytest.fixture
def pori_request():
    return GuardianshipRequestFactory(children=2)


def children_logged(rows):
    return sorted(child for row in rows for child in row.children)


def test_a_view_writes_one_row_naming_its_children(client, sw_pori, pori_request):
    client.force_login(sw_pori)
    assert client.get(pori_request.get_absolute_url()).status_code == 200
    row = AccessLog.objects.get(action=AccessAction.VIEW)
    assert sorted(row.children) == sorted(pori_request.children.values_list("pk", flat=True))
    assert row.request == pori_request
    assert (row.user, row.role, row.outcome) == (sw_pori, "social_worker", AccessOutcome.ALLOWED)
    assert row.at.tzinfo is not None


def test_a_list_writes_rows_for_the_children_shown(client, coordinator, pori_request):
    client.force_login(coordinator)
    client.get(reverse("guardianship:request_list"))
    rows = AccessLog.objects.filter(action=AccessAction.LIST, user=coordinator)
    assert rows.count() == 1  # one row for the page, not one per child
    assert children_logged(rows) == sorted(pori_request.children.values_list("pk", flat=True))


def test_an_export_is_logged(client, coordinator, pori_request):
    client.force_login(coordinator)
    response = client.get(reverse("guardianship:request_export"), export_period())
    assert response.status_code == 200
    assert response.content.startswith(codecs.BOM_UTF8)  # for Excel
    assert pori_request.reference in response.content.decode("utf-8-sig")
    assert len(children_logged(AccessLog.objects.filter(action=AccessAction.EXPORT))) == 2


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
    # The people by name, not by user name (tests/test_access_log_basis.py: the labels).
    assert sw_pori.get_full_name() in html and sw_rauma.get_full_name() in html
    assert sw_pori.username not in html
    csv = client.get(url, {"format": "csv"}).content
    assert csv.startswith(codecs.BOM_UTF8)  # for Excel
    assert sw_pori.get_full_name() in csv.decode("utf-8-sig")
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
    assert AccessLog.objects.filter(username=sw_pori.username).count() == 1


def test_admin_views_of_child_data_are_logged(admin_client, pori_request):
    admin_client.get(reverse("admin:guardianship_guardianshiprequest_changelist"))
    admin_client.get(
        reverse("admin:guardianship_guardianshiprequest_change", args=[pori_request.pk])
    )
    admin_rows = AccessLog.objects.filter(role="admin")
    assert len(children_logged(admin_rows.filter(action=AccessAction.LIST))) == 2
    assert len(children_logged(admin_rows.filter(action=AccessAction.VIEW))) == 2


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
    """No index is kept twice (migration 0009); the children's GIN index serves the
    child's report (migration 0022)."""
    table = AccessLog._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
        indexes = sorted(row[0].split(" USING ")[1] for row in cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        foreign_keys = cursor.fetchone()[0]
    assert indexes == [
        "btree (at)",
        "btree (id, at)",
        "btree (request_id, at)",
        "btree (user_id, at)",
        "gin (children)",
    ]
    assert foreign_keys == 2  # the user and the request; children are an array of ids


def test_the_printable_report_names_people_and_says_in_finnish_why(
    client, coordinator, sw_pori, sw_rauma, pori_request
):
    """The law's answer to the client: names, roles and bases in words, not codes."""
    child = pori_request.children.first()
    nameless = make_user(Role.SOCIAL_WORKER, ["pori"], username="n-n", first_name="", last_name="")
    for user in (sw_pori, sw_rauma, nameless):
        client.force_login(user)
        client.get(pori_request.get_absolute_url())
    log_disclosure([pori_request], ["kirjaamo@pori.example.invalid"], basis=AccessBasis.COORDINATOR)
    client.force_login(coordinator)
    url = reverse("guardianship:child_access_report", kwargs={"uuid": child.uuid})

    response = client.get(url, {"format": "print"}, HTTP_ACCEPT_LANGUAGE="fi")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Lapsen tietojen käsittelyloki</h1>" in html
    assert child.full_name in html
    assert timezone.localdate().strftime("%-d.%-m.%Y") in html
    assert "Satakunnan hyvinvointialue" in html  # the controller: the county paying
    assert "703/2023, 11 §" in html
    assert "Tulosta</button>" in html and "js/print.js" in html and "css/access-report" in html
    assert 'class="site-nav"' not in html and "<script>" not in html and "style=" not in html
    # Names, the Finnish role and basis, not user names and codes.
    assert sw_pori.get_full_name() in html and sw_pori.username not in html
    assert "n-n" in html  # no name: the user name is all there is
    with translation.override("fi"):
        basis = str(AccessLog.objects.filter(user=sw_pori).first().get_basis_display())
    assert basis and cell(basis) in html
    assert cell("Sosiaalityöntekijä") in html and "social_worker" not in html
    assert cell("Portaali (ajastettu viesti)") in html
    assert cell("kirjaamo@pori.example.invalid") in html and cell("Luovutus") in html
    assert cell("Estetty") in html  # the Rauma worker's refused look
    # Handing the report over is an export of the child's data, on the coordinator's basis.
    printed = AccessLog.objects.filter(user=coordinator).get()
    assert (printed.action, printed.basis, printed.children) == (
        AccessAction.EXPORT,
        AccessBasis.COORDINATOR,
        [child.pk],
    )


def test_the_report_and_its_csv_have_the_same_columns(client, coordinator, sw_pori, pori_request):
    child = pori_request.children.first()
    client.force_login(sw_pori)
    client.get(pori_request.get_absolute_url())
    client.force_login(coordinator)
    url = reverse("guardianship:child_access_report", kwargs={"uuid": child.uuid})
    html = client.get(url).content.decode()
    assert "?format=print" in html
    lines = client.get(url, {"format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Aika;Henkilö;Rooli;Toimenpide;Peruste;Vastaanottaja;Tulos"
    time, name, role, action, basis, recipient, outcome = lines[1].split(";")
    assert re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}\.\d{2}\.\d{2}", time)
    assert (name, role, action, recipient, outcome) == (
        sw_pori.get_full_name(),
        "Sosiaalityöntekijä",
        "Katselu",
        "",
        "Sallittu",
    )
    assert basis  # in words
    assert [r.action for r in AccessLog.objects.filter(user=coordinator).order_by("id")] == [
        AccessAction.VIEW,
        AccessAction.EXPORT,
    ]


def test_the_printable_report_reads_its_people_in_one_query(
    client, coordinator, pori_request, django_assert_max_num_queries
):
    child = pori_request.children.first()
    for i in range(12):
        viewer = make_user(Role.SOCIAL_WORKER, ["pori"], username=f"viewer-{i}")
        client.force_login(viewer)
        client.get(pori_request.get_absolute_url())
    client.force_login(coordinator)
    url = reverse("guardianship:child_access_report", kwargs={"uuid": child.uuid})
    client.get(url, {"format": "print"})  # the session and the user are read once first
    # The session, the user, the child, the scope check, the INSERT, the entries.
    with django_assert_max_num_queries(9):
        response = client.get(url, {"format": "print"})
    assert response.content.decode().count("<tr><td") == 14  # 12 views and 2 exports


def test_the_report_finds_the_child_in_a_row_naming_many(client, coordinator, pori_request):
    """A list page's one row names every child shown: the report of each finds it, and
    the report of a child of another request does not."""
    other = GuardianshipRequestFactory(children=1).children.get()
    client.force_login(coordinator)
    client.get(reverse("guardianship:request_list"))
    (listed,) = AccessLog.objects.filter(action=AccessAction.LIST)
    assert len(listed.children) == 3
    for child in [*pori_request.children.all(), other]:
        assert listed in AccessLog.objects.about_child(child)
    unlisted = ChildFactory(request=GuardianshipRequestFactory(children=0))
    assert not AccessLog.objects.about_child(unlisted).filter(action=AccessAction.LIST).exists()
    url = reverse("guardianship:child_access_report", kwargs={"uuid": other.uuid})
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert cell("Listaus") in html
