import pytest
from django.urls import reverse

from guardianship.enums import AccessAction, State
from guardianship.factories import GuardianshipRequestFactory
from guardianship.models import AccessLog, GuardianshipRequest
from guardianship.tests.helpers import request_form_data
from municipalities.models import Organisation

pytestmark = pytest.mark.django_db

NEW = reverse("guardianship:request_create")


@pytest.fixture
def sw(client, sw_pori):
    client.force_login(sw_pori)
    return client


def test_the_form_offers_only_the_social_workers_own_organisation(sw):
    form = sw.get(NEW).context["form"]
    assert list(form.fields["organisation"].queryset.values_list("slug", flat=True)) == ["pori"]


def test_another_organisation_is_refused(sw):
    rauma = Organisation.objects.get(slug="rauma")
    response = sw.post(NEW, request_form_data(organisation=rauma.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert not GuardianshipRequest.objects.exists()


def test_errors_are_specific_summarised_and_nothing_typed_is_lost(sw):
    data = request_form_data(**{"children-1-identity_code": "150317A998X", "custodians": ""})
    response = sw.post(NEW, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'href="#id_children-1-identity_code"' in html
    assert 'href="#id_custodians"' in html
    # What was typed is still there.
    assert 'value="150317A998X"' in html
    assert "Huoltajat vastustavat huostaanottoa." in html
    assert not GuardianshipRequest.objects.exists()


def test_a_child_needs_a_code_or_a_date_of_birth(sw):
    data = request_form_data(**{"children-0-identity_code": ""})
    response = sw.post(NEW, data)
    formset = response.context["formset"]
    assert formset.forms[0].errors["date_of_birth"]
    data["children-0-date_of_birth"] = "2016-05-04"
    assert sw.post(NEW, data).status_code == 302
    child = GuardianshipRequest.objects.get().children.get(first_name="Aino")
    assert child.identity_code == "" and str(child.date_of_birth) == "2016-05-04"


def test_the_same_code_twice_in_one_request_is_refused(sw):
    data = request_form_data(**{"children-1-identity_code": "010115A998H"})
    response = sw.post(NEW, data)
    assert (
        "two children" in str(response.context["formset"].non_form_errors())
        or response.context["formset"].non_form_errors()
    )
    assert not GuardianshipRequest.objects.exists()


def test_a_double_posted_form_creates_one_request(sw):
    data = request_form_data()
    first = sw.post(NEW, data)
    second = sw.post(NEW, data)
    assert GuardianshipRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_draft_is_saved_and_submitted_later(sw, coordinator, client):
    data = request_form_data()
    del data["submit"]
    data["draft"] = "1"
    sw.post(NEW, data)
    request = GuardianshipRequest.objects.get()
    assert request.state == State.DRAFT and request.submitted_at is None
    # The coordinator does not see a draft.
    assert not GuardianshipRequest.objects.for_user(coordinator).exists()
    edit = reverse("guardianship:request_edit", kwargs={"uuid": request.uuid})
    form = sw.get(edit)
    assert form.status_code == 200
    data.update(
        {
            "children-INITIAL_FORMS": "2",
            "children-0-id": request.children.get(first_name="Aino").pk,
            "children-1-id": request.children.get(first_name="Eino").pk,
            "children-0-placement": "Sijaisperhe",
            "submit": "1",
        }
    )
    del data["draft"]
    assert sw.post(edit, data).status_code == 302
    request.refresh_from_db()
    assert request.state == State.RECEIVED and request.submitted_at is not None
    assert request.children.get(first_name="Aino").placement == "Sijaisperhe"
    assert request.children.count() == 2
    assert GuardianshipRequest.objects.for_user(coordinator).count() == 1
    assert AccessLog.objects.filter(action=AccessAction.CREATE).count() == 2
    assert AccessLog.objects.filter(action=AccessAction.UPDATE).exists()


def test_a_submitted_request_cannot_be_edited_as_a_draft(sw):
    sw.post(NEW, request_form_data())
    request = GuardianshipRequest.objects.get()
    response = sw.get(reverse("guardianship:request_edit", kwargs={"uuid": request.uuid}))
    assert response.status_code == 302


def test_another_organisations_request_cannot_be_linked_as_a_sibling(sw):
    rauma_request = GuardianshipRequestFactory(organisation=Organisation.objects.get(slug="rauma"))
    response = sw.post(NEW, request_form_data(sibling_request=rauma_request.pk))
    assert response.status_code == 200
    assert "sibling_request" in response.context["form"].errors
    assert not GuardianshipRequest.objects.filter(organisation__slug="pori").exists()
