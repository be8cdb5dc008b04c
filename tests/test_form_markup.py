"""The forms' accessibility, page by page: what an input is described by exists, every
field with an error is listed in the error summary, and every link there reaches a field.

The markup comes from one field template (templates/includes/field.jinja) and one error
summary (templates/includes/form_errors.html); common/tests/test_forms.py tests those.
"""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fees.tests.test_claims import appointed_case
from guardianship.factories import GuardianFactory
from guardianship.tests.test_guardian_pool import guardian_form_data
from guardianship.tests.test_journey import request_form_data

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.ids, self.described_by, self.summary_links = [], [], []
        self._summary_depth = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        self.described_by += (attrs.get("aria-describedby") or "").split()
        if attrs.get("id") == "error-summary":
            self._summary_depth = 1
        elif self._summary_depth and tag not in ("br", "input", "img"):
            self._summary_depth += 1
            if tag == "a":
                self.summary_links.append(attrs["href"])

    def handle_endtag(self, tag):
        if self._summary_depth:
            self._summary_depth -= 1


def check(response):
    assert response.status_code == 200
    page = Page(response.content.decode())
    ids = set(page.ids)
    assert len(ids) == len(page.ids), "an id twice"
    assert set(page.described_by) <= ids, "aria-describedby names a missing element"
    targets = [link.removeprefix("#") for link in page.summary_links]
    assert all(targets) and set(targets) <= ids, f"a summary link reaches no field: {targets}"
    with_errors = {i.removesuffix("_error") for i in ids if i.endswith("_error")}
    listed = {t.removesuffix("_0") for t in targets}
    assert with_errors <= listed, f"errors missing from the summary: {with_errors - listed}"
    return page


@pytest.mark.parametrize("url", ["projects:create", "events:create", "news:create"])
def test_the_projects_forms(client, planner, url):
    client.force_login(planner)
    check(client.get(reverse(url)))
    page = check(client.post(reverse(url), {"name": "x", "title": "x", "is_public": "on"}))
    assert page.summary_links


def test_the_bulletins_forms(client, planner):
    """Issue 19, part 5: the public subscription form (a radio group and the consent box)
    and the staff's compose form (groups of checkboxes)."""
    url = reverse("development:bulletin_subscribe")
    check(client.get(url))
    page = check(client.post(url, {"email": "x", "language": ""}))
    assert {"#id_email", "#id_language_0", "#id_consent"} <= set(page.summary_links)
    client.force_login(planner)
    url = reverse("development:bulletin_create")
    check(client.get(url))
    page = check(client.post(url, {"title": "x"}))
    assert "#id_title_sv" in page.summary_links


def test_the_guardian_form_links_an_error_of_a_group_of_checkboxes_to_its_first(
    client, coordinator
):
    client.force_login(coordinator)
    data = guardian_form_data(languages=[])
    response = client.post(reverse("guardianship:guardian_create"), data)
    assert "#id_languages_0" in check(response).summary_links


def test_the_request_form(client, sw_pori):
    client.force_login(sw_pori)
    check(client.get(reverse("guardianship:request_create")))
    data = request_form_data(**{"children-1-identity_code": "150317A998X", "custodians-0-name": ""})
    page = check(client.post(reverse("guardianship:request_create"), data))
    assert {"#id_custodians-0-name", "#id_children-1-identity_code"} <= set(page.summary_links)


def test_the_claim_form_lists_the_expenses_errors_too(client, guardian_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = appointed_case(GuardianFactory(user=guardian_user))
    client.force_login(guardian_user)
    data = {
        "period_start": "2026-01-01",
        "period_end": "2026-01-31",
        "hours": "1",
        "fee": "10",
        "idempotency_key": "0b7e2f4c-5d0a-4c1e-8f3b-9a6d2e1c7f50",
        "expenses-TOTAL_FORMS": "1",
        "expenses-INITIAL_FORMS": "0",
        "expenses-0-description": "Kuitti",
        "expenses-0-amount": "10",
        "expenses-0-receipt": SimpleUploadedFile("virus.exe", b"MZ"),
    }
    response = client.post(reverse("fees:claim_create", kwargs={"assignment": case.uuid}), data)
    assert check(response).summary_links == ["#id_expenses-0-receipt"]
