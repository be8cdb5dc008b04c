import pytest
from django.urls import reverse

from municipalities.models import Organisation
from projects.factories import EventFactory, NewsItemFactory, PartnershipFactory, ProjectFactory
from projects.forms import EventForm, NewsItemForm, ProjectForm
from projects.models import Project, Theme

pytestmark = pytest.mark.django_db

LIST = reverse("projects:list")
CREATE = reverse("projects:create")


def detail(project):
    return reverse("projects:detail", kwargs={"slug": project.slug})


def edit(project):
    return reverse("projects:edit", kwargs={"slug": project.slug})


def management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def project_data(**overrides):
    data = {
        "name": "Lastensuojelun kehittämishanke",
        "name_sv": "",
        "acronym": "LSK",
        "slug": "",
        "programme": "",
        "funder": "",
        "pikassos_role": "partner",
        "status": "active",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "period_precision": "day",
        "description": "Kuvaus",
        "is_public": "on",
        **management("partners"),
        **management("links"),
        **management("outputs"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def names(response):
    return [p.name for p in response.context["projects"]]


def test_no_form_takes_all_fields():
    for form in (ProjectForm, EventForm, NewsItemForm):
        assert isinstance(form._meta.fields, list)


def test_list_shows_the_seeded_projects_with_their_facts(planner_client):
    response = planner_client.get(LIST)
    assert response.status_code == 200
    assert names(response) == ["Tuki oikeasta paikasta", "Tulevaisuuden sote-keskus"]
    html = response.content.decode()
    assert "2020–2022" in html
    assert "Sosiaali- ja terveysministeriö" in html
    assert '<th scope="col">' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"theme": "child-protection"}, ["Tuki oikeasta paikasta"]),
        ({"theme": "community-social-work"}, ["Tulevaisuuden sote-keskus"]),
        ({"role": "co_implementer"}, ["Tuki oikeasta paikasta"]),
        ({"status": "ended"}, ["Tuki oikeasta paikasta"]),
        ({"status": "planned"}, []),
    ],
)
def test_list_filters(planner_client, query, expected):
    assert names(planner_client.get(LIST, query)) == expected


def test_list_explains_an_invalid_filter(planner_client):
    response = planner_client.get(LIST, {"theme": "astrology"})
    assert response.context["form"].errors["theme"]
    assert names(response) == []


def test_list_paginates_and_keeps_filters(planner_client):
    ProjectFactory.create_batch(30, status="active")
    response = planner_client.get(LIST, {"status": "active"})
    assert len(names(response)) == 25
    assert b"status=active&amp;page=2" in response.content
    assert len(names(planner_client.get(LIST, {"status": "active", "page": 2}))) == 5


def test_detail_shows_partners_linked_themes_events_and_news(planner_client):
    project = Project.objects.get(slug="top")
    event = EventFactory(project=project, title="TOP-verkostopäivä")
    news = NewsItemFactory(projects=[project], title="TOP-hankkeen loppuraportti")
    response = planner_client.get(detail(project))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    pikassos = Organisation.objects.get(slug="pikassos")
    assert f'href="{pikassos.get_absolute_url()}"' in html
    assert "Osatoteuttaja" in html or "Co-implementer" in html
    assert "Lastensuojelu" in html
    assert event.get_absolute_url() in html and news.get_absolute_url() in html
    assert "Lapsi- ja perhepalvelujen muutosohjelma (LAPE)" in html


@pytest.mark.parametrize("fixture", ["sw_pori", "guardian_user", "planner", "coordinator"])
def test_every_role_reads_internal_projects(client, request, fixture):
    project = ProjectFactory(is_public=False, name="Sisäinen hanke")
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(detail(project)).status_code == 200
    assert "Sisäinen hanke" in names(client.get(LIST))


def test_anonymous_users_see_only_public_projects(client):
    internal = ProjectFactory(is_public=False, name="Sisäinen hanke")
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Sisäinen hanke" not in names(response)
    assert "Tuki oikeasta paikasta" in names(response)
    assert client.get(detail(internal)).status_code == 404
    assert client.get(detail(Project.objects.get(slug="top"))).status_code == 200


def test_a_user_without_a_role_sees_only_public_projects(client, django_user_model):
    client.force_login(django_user_model.objects.create(username="no-role"))
    assert client.get(detail(ProjectFactory(is_public=False))).status_code == 404


def test_anonymous_project_page_hides_internal_events_news_and_staff(client, planner):
    project = Project.objects.get(slug="top")
    project.responsible_staff.add(planner)
    EventFactory(project=project, title="Sisäinen työpaja", is_public=False)
    EventFactory(project=project, title="Avoin seminaari", is_public=True)
    NewsItemFactory(projects=[project], title="Sisäinen tiedote", is_public=False)
    html = client.get(detail(project)).content.decode()
    assert "Avoin seminaari" in html
    assert "Sisäinen työpaja" not in html and "Sisäinen tiedote" not in html
    assert planner.email not in html


@pytest.mark.parametrize("fixture", ["sw_pori", "guardian_user"])
def test_readers_may_not_create_or_edit(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    project = Project.objects.get(slug="top")
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, project_data()).status_code == 403
    assert client.get(edit(project)).status_code == 403
    assert client.post(edit(project), project_data(name="Kaapattu")).status_code == 403
    assert Project.objects.get(slug="top").name == "Tuki oikeasta paikasta"
    assert "projects/new/" not in client.get(LIST).content.decode()


def test_anonymous_users_are_sent_to_login_from_the_forms(client):
    response = client.get(CREATE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_planner_creates_a_project_with_partners_links_and_outputs(planner_client, planner):
    pori = Organisation.objects.get(slug="pori")
    data = project_data(
        themes=[str(Theme.objects.get(slug="child-protection").pk)],
        responsible_staff=[str(planner.pk)],
        funder=str(Organisation.objects.get(slug="stm").pk),
        **management("partners", total=1),
        **{"partners-0-organisation": str(pori.pk), "partners-0-role": "partner"},
        **management("links", total=1),
        **{"links-0-title": "Hankesivu", "links-0-url": "https://example.fi/hanke"},
        **management("outputs", total=1),
        **{"outputs-0-kind": "report", "outputs-0-title": "Loppuraportti"},
    )
    response = planner_client.post(CREATE, data)
    project = Project.objects.get(slug="lsk")
    assert response.status_code == 302 and response["Location"] == detail(project)
    assert project.partnerships.get().organisation == pori
    assert project.links.get().url == "https://example.fi/hanke"
    assert project.outputs.get().title == "Loppuraportti"
    assert list(project.responsible_staff.all()) == [planner]
    html = planner_client.get(detail(project)).content.decode()
    assert "Hankesivu" in html and "Loppuraportti" in html and pori.name in html


def test_coordinator_edits_a_project(client, coordinator):
    client.force_login(coordinator)
    project = ProjectFactory()
    response = client.post(edit(project), project_data(slug=project.slug, name="Uusi nimi"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "Uusi nimi"


def test_an_end_before_the_start_is_refused_with_a_clear_message(planner_client):
    response = planner_client.post(
        CREATE, project_data(start_date="2027-01-01", end_date="2026-01-01")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"]
    assert 'class="error-summary"' in response.content.decode()
    assert not Project.objects.filter(acronym="LSK").exists()


def test_years_only_cover_whole_years(planner_client):
    planner_client.post(
        CREATE,
        project_data(start_date="2024-05-05", end_date="2025-02-02", period_precision="year"),
    )
    project = Project.objects.get(slug="lsk")
    assert (project.start_date.isoformat(), project.end_date.isoformat()) == (
        "2024-01-01",
        "2025-12-31",
    )


def test_a_partner_twice_is_refused(planner_client):
    pori = str(Organisation.objects.get(slug="pori").pk)
    data = project_data(
        **management("partners", total=2),
        **{"partners-0-organisation": pori, "partners-1-organisation": pori},
    )
    response = planner_client.post(CREATE, data)
    assert response.status_code == 200
    assert response.context["formsets"]["partners"].total_error_count()
    assert not Project.objects.filter(acronym="LSK").exists()


def test_pikassos_role_must_agree_with_its_partner_row(planner_client):
    data = project_data(
        pikassos_role="coordinator",
        **management("partners", total=1),
        **{
            "partners-0-organisation": str(Organisation.objects.get(slug="pikassos").pk),
            "partners-0-role": "partner",
        },
    )
    response = planner_client.post(CREATE, data)
    assert response.status_code == 200
    assert not Project.objects.filter(acronym="LSK").exists()


def test_a_reserved_or_taken_slug_is_refused(planner_client):
    assert planner_client.post(CREATE, project_data(slug="new")).status_code == 200
    assert planner_client.post(CREATE, project_data(slug="top")).status_code == 200
    assert not Project.objects.filter(acronym="LSK").exists()


def test_a_generated_slug_does_not_collide(planner_client):
    ProjectFactory(slug="lsk")
    planner_client.post(CREATE, project_data())
    assert Project.objects.filter(slug="lsk-2", acronym="LSK").exists()


def test_removing_a_partner(planner_client):
    project = ProjectFactory()
    partnership = PartnershipFactory(project=project)
    data = project_data(
        slug=project.slug,
        **management("partners", total=1, initial=1),
        **{
            "partners-0-id": str(partnership.pk),
            "partners-0-project": str(project.pk),
            "partners-0-organisation": str(partnership.organisation.pk),
            "partners-0-role": "partner",
            "partners-0-DELETE": "on",
        },
    )
    assert planner_client.post(edit(project), data).status_code == 302
    assert not project.partnerships.exists()


def test_form_page_labels_every_field(planner_client):
    html = planner_client.get(CREATE).content.decode()
    assert html.count("<h1") == 1
    for field in ["id_name", "id_start_date", "id_end_date", "id_partners-0-organisation"]:
        assert f'for="{field}"' in html
    assert "<legend>" in html


def test_saving_keeps_a_responsible_person_who_has_changed_role(planner_client, sw_pori):
    project = ProjectFactory()
    project.responsible_staff.add(sw_pori)
    data = project_data(slug=project.slug, responsible_staff=[str(sw_pori.pk)])
    assert planner_client.post(edit(project), data).status_code == 302
    assert list(project.responsible_staff.all()) == [sw_pori]
