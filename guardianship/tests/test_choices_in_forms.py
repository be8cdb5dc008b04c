"""The municipalities and teams the guardianship forms offer come from each process's
memory (municipalities.choices, issue 18, part 3): as the database has them once a
change is committed, and what is submitted is still checked against the database."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from guardianship.forms import ChildForm, GuardianFilterForm, RequestFilterForm, TransferForm
from municipalities import choices
from municipalities.factories import MunicipalityFactory
from municipalities.models import Organisation, Unit, UnitKind

pytestmark = pytest.mark.django_db

LIST = reverse("guardianship:request_list")
POOL = reverse("guardianship:guardian_list")


def options(html, name):
    """{value: label} of the select `name` in `html`."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)))


def municipalities_offered(client, url=LIST, name="municipality"):
    return options(client.get(url).content.decode(), name)


def organisation_queries(captured):
    """The queries that read organisations themselves (not as part of another table's)."""
    return [
        q["sql"] for q in captured if q["sql"].startswith('SELECT "municipalities_organisation"')
    ]


def test_the_queue_reads_its_municipalities_from_memory(client, coordinator):
    client.force_login(coordinator)
    assert municipalities_offered(client)["pori"] == "Pori"
    with CaptureQueriesContext(connection) as captured:
        assert municipalities_offered(client)["pori"] == "Pori"
    assert organisation_queries(captured) == []


def test_the_filters_show_a_municipality_added_renamed_or_deleted_a_moment_ago(
    client, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    assert "uusikyla" not in municipalities_offered(client)
    with django_capture_on_commit_callbacks(execute=True):
        municipality = MunicipalityFactory(name="Uusikylä", slug="uusikyla")
    assert municipalities_offered(client)["uusikyla"] == "Uusikylä"
    assert municipalities_offered(client, POOL, "area")["uusikyla"] == "Uusikylä"

    with django_capture_on_commit_callbacks(execute=True):
        municipality.name = "Nimikylä"
        municipality.save()
    assert municipalities_offered(client)["uusikyla"] == "Nimikylä"

    with django_capture_on_commit_callbacks(execute=True):
        municipality.delete()
    assert "uusikyla" not in municipalities_offered(client)
    assert "uusikyla" not in municipalities_offered(client, POOL, "area")


def test_the_filters_name_the_municipalities_in_the_users_language():
    MunicipalityFactory(name="Testikylä", name_sv="Testby", slug="testikyla")
    with translation.override("sv"):
        assert options(str(RequestFilterForm()["municipality"]), "municipality")["testikyla"] == (
            "Testby"
        )
    with translation.override("fi"):
        assert options(str(GuardianFilterForm()["area"]), "area")["testikyla"] == "Testikylä"


def test_a_municipality_gone_from_the_database_is_refused_though_still_offered(
    client, coordinator, django_capture_on_commit_callbacks
):
    """Another process deleted it, and this one's list is not yet read again: the filter
    does not take it (the field looks the value up in the database)."""
    with django_capture_on_commit_callbacks(execute=True):
        municipality = MunicipalityFactory(name="Poistuva", slug="poistuva")
    client.force_login(coordinator)
    choices.load_all()
    assert "poistuva" in municipalities_offered(client)
    with connection.cursor() as cursor:  # no signal: as another process would
        cursor.execute("DELETE FROM municipalities_organisation WHERE id = %s", [municipality.pk])
    response = client.get(LIST, {"municipality": "poistuva"})
    assert "poistuva" in options(response.content.decode(), "municipality")
    assert "municipality" in response.context["form"].errors
    assert list(response.context["requests"]) == []
    form = GuardianFilterForm({"area": "poistuva"})
    assert not form.is_valid()


def test_the_transfer_form_offers_a_team_added_or_renamed_a_moment_ago(
    django_capture_on_commit_callbacks,
):
    county = Organisation.objects.get(slug="satakunnan-hyvinvointialue")
    assert "Lastensuojelu, Pori" in options(str(TransferForm()["unit"]), "unit").values()
    with django_capture_on_commit_callbacks(execute=True):
        team = Unit.objects.create(organisation=county, kind=UnitKind.TEAM, name="Tiimi, Uusi")
    assert options(str(TransferForm()["unit"]), "unit")[str(team.pk)] == "Tiimi, Uusi"
    with django_capture_on_commit_callbacks(execute=True):
        team.name = "Tiimi, Nimetty"
        team.save()
    assert options(str(TransferForm()["unit"]), "unit")[str(team.pk)] == "Tiimi, Nimetty"
    form = TransferForm({"unit": team.pk})
    form.is_valid()
    assert "unit" not in form.errors
    assert form.cleaned_data["unit"] == team


def test_the_childs_home_municipality_is_offered_and_checked_by_its_id(
    django_capture_on_commit_callbacks,
):
    """A model form's field (its values are ids): the current municipalities only."""
    with django_capture_on_commit_callbacks(execute=True):
        municipality = MunicipalityFactory(name="Uusikylä")
    offered = options(str(ChildForm(prefix="c")["home_municipality"]), "c-home_municipality")
    assert offered[str(municipality.pk)] == "Uusikylä"
    assert "Honkajoki" not in offered.values()  # merged into Pomarkku in 2021
    with django_capture_on_commit_callbacks(execute=True):
        municipality.delete()
    assert str(municipality.pk) not in options(
        str(ChildForm(prefix="c")["home_municipality"]), "c-home_municipality"
    )
    form = ChildForm({"c-home_municipality": municipality.pk}, prefix="c")
    form.is_valid()
    assert "home_municipality" in form.errors


def test_the_languages_are_offered_in_the_users_language_and_made_once_per_language():
    with translation.override("fi"):
        finnish = ChildForm().fields["mother_tongue"]
        assert ChildForm().fields["mother_tongue"].choices is finnish.choices
        offered = dict(finnish.choices)
    with translation.override("sv"):
        swedish = dict(ChildForm().fields["mother_tongue"].choices)
    assert (offered["so"], swedish["so"]) == ("somali", "somaliska")
    assert offered[""] == swedish[""] == "---------"
    assert len(offered) > 180
    with translation.override("fi"):
        field = ChildForm().fields["mother_tongue"]
        assert field.clean("so") == "so"
        with pytest.raises(ValidationError):
            field.clean("xx")
