"""The rows of the longest lists, rendered by Jinja2 (common/jinja2.py; issue 18, part 3):
escaped, in the page's language, each cell with its phone label."""

import datetime
import re

import pytest
from django.template import TemplateDoesNotExist, engines
from django.urls import reverse
from django.utils import timezone

from guardianship.enums import Urgency
from guardianship.factories import (
    ChildFactory,
    CustodianFactory,
    GuardianFactory,
    GuardianshipRequestFactory,
)
from municipalities.models import Organisation

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
QUEUE = reverse("guardianship:request_list")
POOL = reverse("guardianship:guardian_list")


def body_rows(html):
    """The <tr> elements of the list's table body."""
    tbody = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return re.findall(r"<tr[ >].*?</tr>", tbody, re.S)


def in_swedish(client):
    client.cookies["django_language"] = "sv"


@pytest.fixture
def flagged_request():
    """Urgent, waiting longer than GUARDIANSHIP_UNMATCHED_DAYS, with a protected child
    whose name is markup."""
    request = GuardianshipRequestFactory(
        children=0,
        urgency=Urgency.URGENT,
        submitted_at=timezone.now() - datetime.timedelta(days=20),
    )
    ChildFactory(request=request, first_name=SCRIPT, last_name="Testi", non_disclosure=True)
    return request


@pytest.mark.parametrize("role", ["coordinator", "sw_pori", "team_leader"])
def test_a_child_s_name_is_escaped_in_every_role_s_request_list(
    client, request, role, flagged_request
):
    client.force_login(request.getfixturevalue(role))
    html = client.get(QUEUE).content.decode()
    assert SCRIPT not in html
    (row,) = body_rows(html)
    assert f'<td data-label="Lapset">{ESCAPED} Testi (' in row


def test_the_request_rows_are_in_swedish_with_swedish_phone_labels(
    client, coordinator, flagged_request
):
    in_swedish(client)
    client.force_login(coordinator)
    html = client.get(QUEUE).content.decode()
    (row,) = body_rows(html)
    assert row.startswith('<tr class="row--flagged">')
    url = reverse("guardianship:request_detail", kwargs={"uuid": flagged_request.uuid})
    assert f'<td data-label="Begäran"><a href="{url}">{flagged_request.reference}</a>' in row
    assert '<strong class="badge badge--urgent">Brådskande</strong>' in row
    assert '<strong class="badge badge--flag">Utan intressebevakare i över 14 dagar</strong>' in row
    assert '<strong class="badge badge--urgent">spärrmarkering</strong>' in row
    assert '<td data-label="Brådskandegrad">Brådskande</td>' in row
    assert '<td data-label="Väntedagar">20</td>' in row
    submitted = timezone.localdate(flagged_request.submitted_at)
    assert (
        f'<td data-label="Skickad">{submitted.day}.{submitted.month}.{submitted.year}</td>' in row
    )
    assert '<td data-label="Tidsfrist">–</td>' in row
    # The Finnish page has the Finnish labels.
    client.cookies["django_language"] = "fi"
    (row,) = body_rows(client.get(QUEUE).content.decode())
    assert '<td data-label="Odotuspäiviä">20</td>' in row
    assert "Kiireellinen" in row


def test_a_guardian_s_name_is_escaped_in_the_pool(client, coordinator):
    GuardianFactory(first_name=SCRIPT, last_name="O'Brien", capacity=0)
    client.force_login(coordinator)
    html = client.get(POOL).content.decode()
    assert SCRIPT not in html
    (row,) = body_rows(html)
    assert f">O&#39;Brien, {ESCAPED}</a></td>" in row


def test_the_pool_s_rows_are_in_swedish(client, coordinator):
    guardian = GuardianFactory(last_name="Saloranta", capacity=0)
    in_swedish(client)
    client.force_login(coordinator)
    (row,) = body_rows(client.get(POOL).content.decode())
    url = reverse("guardianship:guardian_detail", kwargs={"uuid": guardian.uuid})
    assert f'<td data-label="Namn"><a href="{url}">Saloranta, {guardian.first_name}</a></td>' in row
    assert (
        '<td data-label="Belastning">0 / 0 <span class="badge badge--warning">fullbokad</span>'
        in row
    )
    assert '<td data-label="Utbildningar">0</td>' in row


def test_jinja2_never_parses_a_django_template():
    """The second engine finds only `.jinja` files: a Django template missing from the
    first is not found rather than misread as Jinja2."""
    with pytest.raises(TemplateDoesNotExist):
        engines["jinja2"].get_template("guardianship/request_list.html")
    assert engines["jinja2"].get_template("guardianship/includes/request_rows.jinja")


@pytest.mark.parametrize("protected", ["child", "custodian", None])
def test_a_row_is_marked_when_a_child_or_a_custodian_has_a_non_disclosure(
    client, coordinator, protected
):
    request = GuardianshipRequestFactory(children=0)
    ChildFactory(request=request, first_name="Aino", last_name="Koski", non_disclosure=False)
    ChildFactory(
        request=request,
        first_name="Eino",
        last_name="Koski",
        non_disclosure=protected == "child",
    )
    CustodianFactory(request=request, non_disclosure=protected == "custodian")
    client.force_login(coordinator)
    (row,) = body_rows(client.get(QUEUE).content.decode())
    assert ("turvakielto" in row) is (protected is not None)
    # Both children, in the order they were added, and the organisation by its name.
    assert re.search(r">Aino Koski \(\d+ v\.\), Eino Koski \(\d+ v\.\)</td>", row), row
    assert f'<td data-label="Organisaatio">{request.organisation.name}</td>' in row


@pytest.mark.parametrize(
    ("language", "areas"), [("fi", "Pori, Rauma"), ("sv", "Björneborg, Raumo")]
)
def test_the_pool_names_each_guardian_s_areas_by_name(client, coordinator, language, areas):
    rauma, pori = (Organisation.objects.get(slug=slug) for slug in ("rauma", "pori"))
    GuardianFactory(areas=[rauma, pori])
    GuardianFactory(areas=[])
    client.cookies["django_language"] = language
    client.force_login(coordinator)
    cells = [
        re.search(r'<td data-label="(?:Alueet|Områden)">(.*?)</td>', row).group(1)
        for row in body_rows(client.get(POOL).content.decode())
    ]
    assert sorted(cells) == sorted([areas, ""])
