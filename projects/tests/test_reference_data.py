"""The seeded projects hold exactly what the seed (pikassos-satakunta.txt) states."""

import datetime

import pytest
from django.apps import apps

from projects.models import Partnership, Project, Theme
from projects.reference import load_reference_data, unload_reference_data

pytestmark = pytest.mark.django_db

SEED_THEMES = {
    "social-services-content",
    "structural-social-work",
    "community-social-work",
    "social-work-all-ages",
}


def test_top_is_an_stm_funded_lape_project_of_2020_2022_with_pikassos_co_implementing():
    top = Project.objects.get(slug="top")
    assert top.acronym == "TOP"
    assert top.name == "Tuki oikeasta paikasta"
    assert top.name_sv == "Stöd från rätt plats"
    assert (top.start_date, top.end_date) == (
        datetime.date(2020, 1, 1),
        datetime.date(2022, 12, 31),
    )
    assert top.period_precision == "year"
    assert top.funder.slug == "stm"
    assert "LAPE" in top.programme and "Lapsi- ja perhepalvelujen muutosohjelma" in top.programme
    assert top.pikassos_role == "co_implementer"
    assert top.status == "ended"
    assert "Länsi-Suomen lastensuojelun monialainen vahvistaminen" in top.description
    assert list(top.themes.values_list("slug", flat=True)) == ["child-protection"]
    pikassos = Partnership.objects.get(project=top)
    assert (pikassos.organisation.slug, pikassos.role) == ("pikassos", "co_implementer")
    assert top.is_public


def test_tulevaisuuden_sote_keskus_has_the_four_themes_and_the_planners_task():
    project = Project.objects.get(slug="tulevaisuuden-sote-keskus")
    assert project.name == "Tulevaisuuden sote-keskus"
    assert set(project.themes.values_list("slug", flat=True)) == SEED_THEMES
    pikassos = Partnership.objects.get(project=project)
    assert pikassos.organisation.slug == "pikassos"
    assert "sosiaalihuollon kehittämisestä" in pikassos.contribution
    assert project.is_public


def test_what_the_seed_does_not_state_is_left_empty():
    project = Project.objects.get(slug="tulevaisuuden-sote-keskus")
    assert project.name_sv == project.acronym == project.programme == ""
    assert project.start_date is None and project.end_date is None
    assert project.funder is None
    assert project.pikassos_role == "" and project.status == ""
    assert not project.responsible_staff.exists()
    # No partner, event or news item beyond Pikassos itself is invented.
    assert Partnership.objects.count() == 2
    assert not Project.objects.get(slug="top").responsible_staff.exists()


def test_themes_have_finnish_swedish_and_english_names():
    themes = {t.slug: t for t in Theme.objects.all()}
    assert set(themes) == SEED_THEMES | {"child-protection"}
    assert themes["structural-social-work"].name == "Rakenteellinen sosiaalityö"
    assert themes["community-social-work"].name == "Yhteisösosiaalityö"
    assert themes["social-work-all-ages"].name == "Eri-ikäisten sosiaalityö"
    assert themes["child-protection"].name_sv == "Barnskydd"
    assert all(t.name_sv and t.name_en for t in themes.values())


def test_loading_again_changes_nothing():
    def snapshot():
        projects = Project.objects.order_by("slug").values()
        return (
            [{k: v for k, v in p.items() if k != "updated_at"} for p in projects],
            list(Theme.objects.order_by("slug").values()),
            list(Partnership.objects.order_by("pk").values()),
            sorted(Project.themes.through.objects.values_list("project_id", "theme_id")),
        )

    before = snapshot()
    load_reference_data(apps)
    assert snapshot() == before


def test_unloading_and_loading_again_restores_the_seed():
    unload_reference_data(apps)
    assert not Project.objects.filter(slug__in=["top", "tulevaisuuden-sote-keskus"]).exists()
    assert not Theme.objects.exists()
    load_reference_data(apps)
    assert Project.objects.get(slug="top").funder.slug == "stm"
    assert Project.objects.get(slug="tulevaisuuden-sote-keskus").themes.count() == 4
