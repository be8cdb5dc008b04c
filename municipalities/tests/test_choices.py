"""The choice lists kept in each process's memory (municipalities.choices, issue 18,
part 3): read again after a committed change, in this process and in the others."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from municipalities import choices
from municipalities.factories import MunicipalityFactory, OrganisationFactory
from municipalities.models import Organisation, Unit, UnitKind

pytestmark = pytest.mark.django_db


def names(entries):
    return [str(entry) for entry in entries]


def queries_of(read):
    """The SQL that `read()` runs."""
    with CaptureQueriesContext(connection) as captured:
        read()
    return [q["sql"] for q in captured]


def test_a_list_is_read_once_and_then_served_from_memory():
    first = queries_of(choices.municipalities)
    assert len(first) == 1
    assert queries_of(choices.municipalities) == []
    assert "Pori" in names(choices.municipalities())


def test_the_labels_follow_the_language():
    MunicipalityFactory(name="Testikylä", name_sv="Testby")
    MunicipalityFactory(name="Vainsuomi", name_sv="")
    for language, expected in (("fi", "Testikylä"), ("sv", "Testby"), ("en", "Testikylä")):
        with translation.override(language):
            assert expected in names(choices.municipalities())
    with translation.override("sv"):
        assert "Vainsuomi" in names(choices.municipalities())


def test_a_committed_change_is_seen_at_once(django_capture_on_commit_callbacks):
    choices.load_all()
    with django_capture_on_commit_callbacks(execute=True):
        municipality = MunicipalityFactory(name="Uusikylä")
    assert "Uusikylä" in names(choices.municipalities())
    assert "Uusikylä" in names(choices.organisations())
    # Kept in memory again once committed.
    assert queries_of(choices.municipalities) == []

    with django_capture_on_commit_callbacks(execute=True):
        municipality.name = "Nimikylä"
        municipality.save()
    assert "Nimikylä" in names(choices.municipalities())
    assert "Uusikylä" not in names(choices.municipalities())

    with django_capture_on_commit_callbacks(execute=True):
        municipality.delete()
    assert "Nimikylä" not in names(choices.municipalities())


def test_another_process_sees_a_committed_change_at_its_next_use(
    django_capture_on_commit_callbacks,
):
    """The other process keeps its own lists; the generation in the shared cache tells
    it to read them again."""
    other = choices.ChoiceStore()
    assert "Uusikylä" not in names(other.get("municipalities"))
    assert "Tiimi, Testi" not in names(other.get("teams"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        MunicipalityFactory(name="Uusikylä")
        Unit.objects.create(
            organisation=Organisation.objects.get(slug="satakunnan-hyvinvointialue"),
            kind=UnitKind.TEAM,
            name="Tiimi, Testi",
        )
    assert len(callbacks) == 1, "one new generation for the changes of a transaction"
    assert "Uusikylä" in names(other.get("municipalities"))
    assert "Tiimi, Testi" in names(other.get("teams"))


def test_an_uncommitted_change_is_not_announced(django_capture_on_commit_callbacks):
    other = choices.ChoiceStore()
    other.get("municipalities")
    generation = cache.get(choices.GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=False):
        MunicipalityFactory(name="Uusikylä")
    assert cache.get(choices.GENERATION_KEY) == generation


def test_without_a_shared_cache_a_change_is_seen_within_the_seconds(settings, monkeypatch):
    """A process whose cache the others do not share never hears of their changes: it
    reads its lists again once they are CHOICES_CACHE_SECONDS old. (update() sends no
    signal: as if another process had made the change.)"""
    settings.CHOICES_CACHE_SECONDS = 60
    other = choices.ChoiceStore()
    assert "Porin kaupunki" not in names(other.get("municipalities"))
    Organisation.objects.filter(slug="pori").update(name="Porin kaupunki")
    now = choices.time.monotonic()
    monkeypatch.setattr(choices.time, "monotonic", lambda: now + 59)
    assert "Porin kaupunki" not in names(other.get("municipalities"))
    monkeypatch.setattr(choices.time, "monotonic", lambda: now + 61)
    assert "Porin kaupunki" in names(other.get("municipalities"))


def test_zero_seconds_reads_the_lists_at_every_use(settings):
    settings.CHOICES_CACHE_SECONDS = 0
    choices.municipalities()
    assert len(queries_of(choices.municipalities)) == 1


def test_what_a_transaction_reads_of_its_own_change_is_not_kept():
    """Rolled back, the change must not stay in the lists of the process."""
    with pytest.raises(RuntimeError), transaction.atomic():
        MunicipalityFactory(name="Peruttu")
        assert "Peruttu" in names(choices.municipalities())  # its own change, read fresh
        raise RuntimeError
    assert "Peruttu" not in names(choices.municipalities())
    assert queries_of(choices.municipalities) == []


def test_the_current_lists_leave_out_former_organisations():
    MunicipalityFactory(name="Entinen", valid_to=datetime.date(2020, 12, 31))
    OrganisationFactory(name="Tuleva", valid_from=datetime.date(2999, 1, 1))
    assert "Entinen" in names(choices.municipalities())
    assert "Entinen" not in names(choices.current_municipalities())
    assert "Tuleva" in names(choices.organisations())
    assert "Tuleva" not in names(choices.current_organisations())


def test_migrate_announces_a_new_generation():
    """Data migrations change the rows through historical models, without signals."""
    before = cache.get(choices.GENERATION_KEY)
    choices.migrated()
    assert cache.get(choices.GENERATION_KEY) not in (None, before)


def test_a_name_the_lists_in_memory_lack_yet_is_read_from_the_database():
    """An organisation added by another process within CHOICES_CACHE_SECONDS (bulk_create
    sends no signal: as if elsewhere) is still named."""
    choices.load_all()
    (added,) = Organisation.objects.bulk_create(
        [Organisation(name="Uusi yhtymä", name_sv="Ny samkommun", slug="uusi-yhtyma")]
    )
    assert "Uusi yhtymä" not in names(choices.organisations())
    pori = Organisation.objects.get(slug="pori")
    with translation.override("sv"):
        found = choices.organisation_names({added.pk, pori.pk})
    assert found[added.pk] == "Ny samkommun"
    assert found[pori.pk] == "Björneborg"
    assert len(queries_of(lambda: choices.organisation_names({pori.pk}))) == 0
