from unittest.mock import patch

import pytest
from django.forms import BoundField
from django.urls import reverse

from guardianship.enums import AccessAction, State
from guardianship.factories import GuardianshipRequestFactory
from guardianship.models import AccessLog, GuardianshipRequest
from guardianship.tests.helpers import request_form_data
from municipalities.models import Organisation, Unit

pytestmark = pytest.mark.django_db

NEW = reverse("guardianship:request_create")


@pytest.fixture
def sw(client, sw_pori):
    client.force_login(sw_pori)
    return client


def test_the_form_offers_only_the_social_workers_own_team(sw):
    form = sw.get(NEW).context["form"]
    assert list(form.fields["unit"].queryset.values_list("name", flat=True)) == [
        "Lastensuojelu, Pori"
    ]
    assert "organisation" not in form.fields


def test_another_team_is_refused(sw):
    rauma = Unit.objects.get(name="Lastensuojelu, Rauma")
    response = sw.post(NEW, request_form_data(unit=rauma.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert not GuardianshipRequest.objects.exists()


def test_the_request_belongs_to_the_workers_team_in_the_county(sw, sw_pori):
    assert sw.post(NEW, request_form_data()).status_code == 302
    created = GuardianshipRequest.objects.get()
    assert created.unit.name == "Lastensuojelu, Pori"
    assert created.organisation.slug == "satakunnan-hyvinvointialue"
    assert created.responsible_worker == sw_pori
    # The children's municipality of residence is their own, for the statistics.
    assert {c.home_municipality.slug for c in created.children.all()} == {"pori"}


def test_the_payer_is_the_region_county_and_no_other_county_is_offered(sw):
    """No payer to choose since the legal tracks (issue 14): the child-welfare track's
    payer is the region's county, never one of Pikassos' owners elsewhere."""
    form = sw.get(NEW).context["form"]
    assert "payer" not in form.fields
    payers = {track.payer for track in form.fields["tracks"].queryset}
    counties = [p.slug for p in payers if p.kind == "wellbeing_county"]
    assert counties == [Organisation.objects.region_county().slug] == ["satakunnan-hyvinvointialue"]
    assert sw.post(NEW, request_form_data()).status_code == 302
    assert GuardianshipRequest.objects.get().payer.slug == "satakunnan-hyvinvointialue"


def test_a_worker_without_a_team_chooses_among_their_organisations(client):
    from conftest import make_user

    before_2023 = make_user("social_worker", ["pori"], username="old-pori")
    client.force_login(before_2023)
    form = client.get(NEW).context["form"]
    assert "unit" not in form.fields
    assert list(form.fields["organisation"].queryset.values_list("slug", flat=True)) == ["pori"]
    rauma = Organisation.objects.get(slug="rauma")
    response = client.post(NEW, request_form_data(organisation=rauma.pk))
    assert response.context["form"].errors["organisation"]
    assert client.post(NEW, request_form_data()).status_code == 302
    assert GuardianshipRequest.objects.get().unit is None


def test_errors_are_specific_summarised_and_nothing_typed_is_lost(sw):
    data = request_form_data(
        **{"children-1-identity_code": "150317A998X", "custodians-1-relation": ""}
    )
    response = sw.post(NEW, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'href="#id_children-1-identity_code"' in html
    assert 'href="#id_custodians-1-relation"' in html
    # What was typed is still there.
    assert 'value="150317A998X"' in html
    assert "Huoltajat vastustavat huostaanottoa." in html
    assert not GuardianshipRequest.objects.exists()


def test_the_custodians_are_rows_and_the_old_free_text_is_other_information(sw):
    """The custodians are asked as rows (issue 14, part 4); their names reach a proposed
    guardian, the rest is for those who serve. The free text asks only what the rows do
    not tell, and may be left empty."""
    form = sw.get(NEW).context["form"]
    assert "custodian_names" not in form.fields and "custodians" not in form.fields
    assert not form.fields["custodian_notes"].required
    assert sw.post(NEW, request_form_data(custodian_notes="")).status_code == 302
    request = GuardianshipRequest.objects.get()
    assert request.custodian_notes == ""
    assert request.custodian_name_list == ["Maija Mallikas", "Matti Mallikas"]


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
    (created,) = AccessLog.objects.filter(action=AccessAction.CREATE)
    assert len(created.children) == 2
    assert AccessLog.objects.filter(action=AccessAction.UPDATE).exists()


def test_a_submitted_request_cannot_be_edited_as_a_draft(sw):
    sw.post(NEW, request_form_data())
    request = GuardianshipRequest.objects.get()
    response = sw.get(reverse("guardianship:request_edit", kwargs={"uuid": request.uuid}))
    assert response.status_code == 302


def test_another_organisations_request_cannot_be_linked_as_a_sibling(sw):
    rauma_request = GuardianshipRequestFactory(organisation=Organisation.objects.get(slug="rauma"))
    for given in (rauma_request.reference, rauma_request.pk):
        response = sw.post(NEW, request_form_data(sibling_request=given))
        assert response.status_code == 200
        assert "Tällä viitteellä ei löydy pyyntöä, jonka voit nähdä" in response.content.decode()
        assert "sibling_request" in response.context["form"].errors
    assert not GuardianshipRequest.objects.filter(organisation__slug="pori").exists()


def test_a_siblings_request_is_linked_by_typing_its_reference_never_listed(sw):
    """At the region's volume a list of every request a worker may see ran to tens of
    thousands of options (issue 18): the earlier request is typed as its reference, in
    either case, and the page lists none."""
    sibling = GuardianshipRequestFactory()  # the Pori team's
    page = sw.get(NEW).content.decode()
    assert sibling.reference not in page
    assert '<input type="text" name="sibling_request"' in page
    assert '<select name="sibling_request"' not in page
    response = sw.post(NEW, request_form_data(sibling_request=f" {sibling.reference.lower()} "))
    assert response.status_code == 302, response.context["form"].errors
    created = GuardianshipRequest.objects.exclude(pk=sibling.pk).get()
    assert created.sibling_request == sibling
    # The draft's form shows the link as the reference again.
    data = request_form_data(sibling_request=sibling.reference)
    del data["submit"]  # "Save as draft"
    assert sw.post(NEW, data).status_code == 302
    edited = GuardianshipRequest.objects.get(state=State.DRAFT)
    form_page = sw.get(reverse("guardianship:request_edit", kwargs={"uuid": edited.uuid}))
    assert f'value="{sibling.reference}"' in form_page.content.decode()


def rows(response):
    """The form's rows of children and custodians, with their templates for more."""
    html = response.content.decode()
    return html[html.index('<div id="children-forms">') : html.index('id="add-custodian"')]


def test_the_empty_rows_come_from_memory_and_a_drafts_children_never_do(sw, monkeypatch):
    """The new request's rows of children and custodians, each with 180 languages, are
    rendered once per language and process (issue 18); a saved draft's rows, with the
    children's names and codes, are rendered each time and never kept."""
    kept = {}
    monkeypatch.setattr("common.forms._FIELD_GROUPS", kept)
    first = rows(sw.get(NEW))
    assert kept and 'name="children-0-mother_tongue"' in first
    assert 'name="custodians-__prefix__-relation"' in first
    rendered = BoundField.as_field_group

    def outside_the_rows(bound):
        assert not bound.html_name.startswith(("children-", "custodians-")), bound.html_name
        return rendered(bound)

    with patch.object(BoundField, "as_field_group", autospec=True, side_effect=outside_the_rows):
        assert rows(sw.get(NEW)) == first

    data = request_form_data()
    del data["submit"]
    data["draft"] = "1"
    sw.post(NEW, data)
    draft = GuardianshipRequest.objects.get()
    kept.clear()
    page = sw.get(reverse("guardianship:request_edit", kwargs={"uuid": draft.uuid}))
    assert 'value="Aino"' in page.content.decode()
    remembered = repr(kept)
    for child in draft.children.all():
        assert child.first_name not in remembered and child.last_name not in remembered
        assert not child.identity_code or child.identity_code not in remembered
