"""Drafts saved with what is typed, and saved by the page itself (issue 16, part 1)."""

import uuid

import pytest
from django.urls import reverse

from common.exceptions import WorkflowError
from guardianship import services
from guardianship.enums import State
from guardianship.models import GuardianshipRequest, LegalTrack
from guardianship.models.tracks import CHILD_WELFARE
from guardianship.tests.helpers import request_form_data
from municipalities.models import Unit

pytestmark = pytest.mark.django_db

NEW = reverse("guardianship:request_create")


@pytest.fixture
def sw(client, sw_pori):
    client.force_login(sw_pori)
    return client


def begun(**fields):
    """A form of which only the first lines are typed: the team, one child's first name."""
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "unit": Unit.objects.get(name="Lastensuojelu, Pori").pk,
        "worker_name": "Sanna Sosiaalityöntekijä",
        "children-TOTAL_FORMS": "1",
        "children-INITIAL_FORMS": "0",
        "children-0-first_name": "Aino",
        "custodians-TOTAL_FORMS": "2",
        "custodians-INITIAL_FORMS": "0",
        "draft": "1",
    }
    data.update(fields)
    return data


def edit_url(request):
    return reverse("guardianship:request_edit", kwargs={"uuid": request.uuid})


def test_a_draft_with_missing_required_fields_is_saved(sw):
    response = sw.post(NEW, begun())
    draft = GuardianshipRequest.objects.get()
    assert response["Location"] == draft.get_absolute_url()
    assert draft.state == State.DRAFT
    assert draft.matter == "" and draft.worker_phone == "" and draft.payer is None
    child = draft.children.get()
    assert child.first_name == "Aino" and child.home_municipality is None
    assert not draft.custodians.exists()  # the empty rows are left out
    # The draft opens for editing, with what was typed.
    page = sw.get(edit_url(draft)).content.decode()
    assert 'value="Aino"' in page


def test_submit_still_validates_every_required_field(sw):
    data = begun()
    del data["draft"]
    data["submit"] = "1"
    response = sw.post(NEW, data)
    assert response.status_code == 200
    assert response.context["form"].errors["matter"]
    assert response.context["formset"].forms[0].errors["last_name"]
    assert not GuardianshipRequest.objects.exists()


def test_an_incomplete_draft_cannot_be_submitted_from_its_page(sw, sw_pori):
    sw.post(NEW, begun(tracks=[LegalTrack.objects.get(code=CHILD_WELFARE).pk]))
    draft = GuardianshipRequest.objects.get()
    with pytest.raises(WorkflowError, match="ei ole valmis"):
        services.submit_request(draft, by=sw_pori)
    response = sw.post(
        reverse("guardianship:request_step", kwargs={"uuid": draft.uuid, "step": "submit"}),
        follow=True,
    )
    assert "Luonnos ei ole valmis" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_values_that_cannot_be_stored_are_shown_and_the_rest_is_saved(sw):
    data = begun(
        **{
            "children-0-identity_code": "150317A998X",  # a wrong check character
            "children-0-last_name": "Saloranta",
            "deadline": "2026-02-30",
            "conflict_reason": "Huoltajat vastustavat.",
        }
    )
    response = sw.post(NEW, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_children-0-identity_code"' in html and 'href="#id_deadline"' in html
    assert 'value="150317A998X"' in html  # what was typed is not lost
    draft = GuardianshipRequest.objects.get()
    assert draft.conflict_reason == "Huoltajat vastustavat." and draft.deadline is None
    child = draft.children.get()
    assert (child.last_name, child.identity_code) == ("Saloranta", "")
    # The page now edits that draft: saving it again, corrected, adds no second child.
    form = response.context["form"]
    assert f'action="{edit_url(draft)}"' in html
    again = dict(response.context["form"].data.lists())
    again = {k: v if len(v) > 1 else v[0] for k, v in again.items()}
    again.update({"children-0-identity_code": "150317A998N", "deadline": "2026-02-27"})
    assert form.data["children-0-id"] == str(child.pk)
    assert sw.post(edit_url(draft), again).status_code == 302
    child.refresh_from_db()
    assert draft.children.count() == 1 and child.identity_code == "150317A998N"


def autosave(client, url, data):
    return client.post(url, {**data, "autosave": "1"}, HTTP_ACCEPT="application/json")


def test_autosave_creates_the_draft_once_and_then_edits_it(sw):
    data = begun()
    del data["draft"]
    first = autosave(sw, NEW, data)
    assert first.status_code == 200
    answer = first.json()
    draft = GuardianshipRequest.objects.get()
    assert answer["saved"] and answer["action"] == edit_url(draft)
    assert answer["message"].startswith("Luonnos tallennettu klo ")
    assert answer["ids"] == {"children-0-id": draft.children.get().pk}
    # The same page's second autosave, with what its first answer gave it.
    data.update(
        {
            "version": answer["version"],
            "children-0-id": answer["ids"]["children-0-id"],
            "children-0-last_name": "Saloranta",
        }
    )
    second = autosave(sw, answer["action"], data).json()
    assert second["saved"] and second["version"] == answer["version"] + 1
    assert draft.children.get().last_name == "Saloranta"
    # A second first autosave of the same page (its answer lost) creates nothing more.
    assert autosave(sw, NEW, begun()).status_code == 200
    assert autosave(sw, NEW, {**data, "children-0-id": ""}).status_code == 409
    assert GuardianshipRequest.objects.filter(idempotency_key=data["idempotency_key"]).count() == 1


def test_autosave_keeps_the_rows_apart_when_a_saved_one_follows_a_new_one(sw):
    """Custodian 2 left empty, custodian 3 (added by the page) typed and saved: its id
    comes after a row without one; the next save must not add it twice."""
    data = begun(**{"custodians-TOTAL_FORMS": "3", "custodians-2-name": "Maija Mallikas"})
    del data["draft"]
    answer = autosave(sw, NEW, data).json()
    draft = GuardianshipRequest.objects.get()
    custodian = draft.custodians.get()
    assert answer["ids"]["custodians-2-id"] == custodian.pk
    data.update(
        {
            "version": answer["version"],
            "children-0-id": answer["ids"]["children-0-id"],
            "custodians-2-id": custodian.pk,
            "custodians-0-name": "Matti Mallikas",
        }
    )
    again = autosave(sw, answer["action"], data).json()
    assert again["saved"]
    assert sorted(draft.custodians.values_list("name", flat=True)) == [
        "Maija Mallikas",
        "Matti Mallikas",
    ]
    assert again["ids"]["custodians-2-id"] == custodian.pk


def test_autosave_meets_the_version_check(sw, sw_pori):
    data = request_form_data(draft="1")
    del data["submit"]
    sw.post(NEW, data)
    draft = GuardianshipRequest.objects.get()
    page = sw.get(edit_url(draft)).context["form"]
    loaded_version = page.initial["version"]
    # A colleague saves the draft meanwhile.
    GuardianshipRequest.objects.get(pk=draft.pk).save()
    stale = {
        **data,
        "version": loaded_version,
        "children-INITIAL_FORMS": "2",
        "children-0-id": draft.children.order_by("id")[0].pk,
        "children-1-id": draft.children.order_by("id")[1].pk,
        "custodians-INITIAL_FORMS": "2",
        "custodians-0-id": draft.custodians.order_by("id")[0].pk,
        "custodians-1-id": draft.custodians.order_by("id")[1].pk,
        "worker_phone": "040 999 9999",
    }
    response = autosave(sw, edit_url(draft), stale)
    assert response.status_code == 409 and response.json()["conflict"]
    draft.refresh_from_db()
    assert draft.worker_phone != "040 999 9999"


def test_a_submitted_request_is_not_autosaved(sw):
    sw.post(NEW, request_form_data())
    request = GuardianshipRequest.objects.get()
    response = autosave(sw, edit_url(request), request_form_data())
    assert response.status_code == 409
