"""Project planning (issue 19, part 3): each state change of a project idea, through the
page and the service, its validation and record (who, when), the pipeline by state with
the nearest deadline first, and the project made of a funded idea without retyping."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from common.exceptions import WorkflowError
from development import services, views
from development.factories import ProjectIdeaFactory
from development.forms import ProjectIdeaForm
from development.models import IdeaState, ProjectIdea, ProjectIdeaStep
from municipalities.factories import OrganisationFactory
from municipalities.models import Organisation
from projects.factories import ProjectFactory, ThemeFactory
from projects.models import ProjectRole, ProjectStatus

pytestmark = pytest.mark.django_db

I = IdeaState  # noqa: E741


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def step(client, idea, name):
    return client.post(reverse("development:idea_step", kwargs={"uuid": idea.uuid, "step": name}))


def idea_data(**changes):
    data = {
        "name": "Jälkihuollon kehittämishanke",
        "description": "Nuorten jälkihuolto Satakunnassa.",
        "funder": "",
        "call": "",
        "call_deadline": "",
        "pikassos_role": ProjectRole.COORDINATOR,
        "planner": "",
    }
    data.update(changes)
    return data


# Adding and editing ------------------------------------------------------------------------


def test_a_planner_adds_an_idea_which_starts_as_an_idea(client, planner):
    theme = ThemeFactory()
    partner = OrganisationFactory(name="Porin kaupunki")
    client.force_login(planner)

    response = client.post(
        reverse("development:idea_create"),
        idea_data(themes=[theme.pk], partners=[partner.pk], planner=planner.pk),
    )

    idea = ProjectIdea.objects.get()
    assert response["Location"] == idea.get_absolute_url()
    assert idea.state == I.IDEA
    assert idea.created_by == planner
    assert list(idea.partners.all()) == [partner]
    assert idea.planner == planner
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Porin kaupunki" in page


def test_an_edit_does_not_undo_a_step_taken_meanwhile(planner, coordinator):
    idea = ProjectIdeaFactory(with_call=True)
    stale = ProjectIdea.objects.get(pk=idea.pk)  # the edit's copy, loaded first
    services.take_idea_step(idea, "plan", by=coordinator)  # while the planner edits
    form = ProjectIdeaForm(
        idea_data(
            name="Uusi nimi",
            call=idea.call,
            call_deadline=idea.call_deadline.isoformat(),
            version=stale.version,
        ),
        instance=stale,
    )
    assert form.is_valid(), form.errors

    services.save_idea(form=form, by=planner)

    idea.refresh_from_db()
    assert idea.name == "Uusi nimi"
    assert idea.state == I.PLANNING


def test_an_applied_idea_keeps_its_call_and_deadline(client, planner):
    idea = ProjectIdeaFactory(with_call=True, state=I.APPLIED)
    client.force_login(planner)

    response = client.post(
        reverse("development:idea_edit", kwargs={"uuid": idea.uuid}),
        idea_data(name=idea.name, call="", call_deadline="", version=idea.version),
    )

    assert response.status_code == 200
    assert 'id="id_call_error"' in response.content.decode() or "call_error" in (
        response.content.decode()
    )
    idea.refresh_from_db()
    assert idea.call == "STEA:n yleisavustukset 2027"


def test_an_edit_on_an_old_version_is_refused(client, planner):
    idea = ProjectIdeaFactory()
    client.force_login(planner)
    old = idea.version
    ProjectIdea.objects.filter(pk=idea.pk).update(name="Toisen nimi", version=old + 1)

    response = client.post(
        reverse("development:idea_edit", kwargs={"uuid": idea.uuid}),
        idea_data(name="Minun nimeni", version=old),
    )

    assert response.status_code == 200
    idea.refresh_from_db()
    assert idea.name == "Toisen nimi"


# Each state change -------------------------------------------------------------------------


def test_idea_to_planning(client, planner):
    idea = ProjectIdeaFactory()
    client.force_login(planner)

    response = step(client, idea, "plan")

    assert response["Location"] == idea.get_absolute_url()
    idea.refresh_from_db()
    assert idea.state == I.PLANNING
    change = ProjectIdeaStep.objects.get(idea=idea)
    assert (change.from_state, change.to_state, change.by) == (I.IDEA, I.PLANNING, planner)
    assert abs(change.at - timezone.now()) < datetime.timedelta(minutes=1)


def test_planning_to_funding_applied_needs_the_call_and_deadline(client, planner):
    idea = ProjectIdeaFactory(state=I.PLANNING)
    client.force_login(planner)

    response = step(client, idea, "apply")

    idea.refresh_from_db()
    assert idea.state == I.PLANNING
    assert "deadline" in texts(response)[0] or "määräaika" in texts(response)[0]
    assert not ProjectIdeaStep.objects.exists()

    ProjectIdea.objects.filter(pk=idea.pk).update(
        call="ESR+ haku", call_deadline=datetime.date(2027, 3, 1)
    )
    step(client, idea, "apply")
    idea.refresh_from_db()
    assert idea.state == I.APPLIED
    assert ProjectIdeaStep.objects.get().to_state == I.APPLIED


def test_the_database_refuses_an_applied_idea_without_a_call():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectIdeaFactory(state=I.APPLIED)


def test_funding_applied_to_funded(client, coordinator):
    idea = ProjectIdeaFactory(with_call=True, state=I.APPLIED)
    client.force_login(coordinator)

    step(client, idea, "fund")

    idea.refresh_from_db()
    assert idea.state == I.FUNDED
    assert ProjectIdeaStep.objects.get().by == coordinator


def test_funding_applied_to_not_funded_and_planned_again(client, planner):
    idea = ProjectIdeaFactory(with_call=True, state=I.APPLIED)
    client.force_login(planner)

    step(client, idea, "reject")
    idea.refresh_from_db()
    assert idea.state == I.NOT_FUNDED

    step(client, idea, "plan")
    idea.refresh_from_db()
    assert idea.state == I.PLANNING
    assert [c.to_state for c in idea.steps.all()] == [I.NOT_FUNDED, I.PLANNING]


@pytest.mark.parametrize(
    ("state", "name"),
    [
        (I.IDEA, "apply"),
        (I.IDEA, "fund"),
        (I.PLANNING, "fund"),
        (I.PLANNING, "reject"),
        (I.APPLIED, "plan"),
        (I.FUNDED, "plan"),
        (I.FUNDED, "reject"),
        (I.NOT_FUNDED, "fund"),
    ],
)
def test_an_illegal_step_is_refused_and_changes_nothing(client, planner, state, name):
    idea = ProjectIdeaFactory(with_call=True, state=state)
    client.force_login(planner)

    response = step(client, idea, name)

    assert response.status_code == 302
    assert texts(response)  # the error is shown
    idea.refresh_from_db()
    assert idea.state == state
    assert not ProjectIdeaStep.objects.exists()


def test_an_unknown_step_is_not_found(client, planner):
    client.force_login(planner)
    assert step(client, ProjectIdeaFactory(), "approve").status_code == 404


def test_the_service_locks_and_refuses_a_second_decision(planner, coordinator):
    idea = ProjectIdeaFactory(with_call=True, state=I.APPLIED)
    services.take_idea_step(idea, "fund", by=planner)
    with pytest.raises(WorkflowError):
        services.take_idea_step(idea, "reject", by=coordinator)  # an old copy of the idea
    idea.refresh_from_db()
    assert idea.state == I.FUNDED


def test_only_staff_take_steps_in_the_service(sw_pori):
    idea = ProjectIdeaFactory()
    with pytest.raises(WorkflowError):
        services.take_idea_step(idea, "plan", by=sw_pori)


def test_the_history_shows_who_moved_the_idea_and_when(client, planner):
    idea = ProjectIdeaFactory(with_call=True)
    services.take_idea_step(idea, "plan", by=planner)
    client.force_login(planner)

    page = client.get(idea.get_absolute_url()).content.decode()

    assert str(planner) in page
    assert "Suunnittelu" in page  # the state the idea moved to, in Finnish
    # The next step's button, in Finnish too.
    assert "Merkitse rahoitus haetuksi" in page


# The project of a funded idea --------------------------------------------------------------


def test_a_funded_idea_becomes_a_project_without_retyping(client, planner):
    theme = ThemeFactory()
    funder = OrganisationFactory(name="Sosiaali- ja terveysjärjestöjen avustuskeskus")
    partners = [OrganisationFactory(name="Porin kaupunki"), OrganisationFactory(name="Eura")]
    idea = ProjectIdeaFactory(
        name="Hankeidea",
        with_call=True,
        state=I.FUNDED,
        funder=funder,
        planner=planner,
        pikassos_role=ProjectRole.COORDINATOR,
    )
    idea.themes.set([theme])
    idea.partners.set(partners)
    ProjectFactory(slug="hankeidea")  # a project with the slug the name would give
    client.force_login(planner)

    response = client.post(reverse("development:idea_make_project", kwargs={"uuid": idea.uuid}))

    idea.refresh_from_db()
    project = idea.project
    assert response["Location"] == project.get_absolute_url()
    assert project.name == idea.name
    assert project.description == idea.description
    assert project.funder == funder
    assert project.programme == "STEA:n yleisavustukset 2027"
    assert project.pikassos_role == ProjectRole.COORDINATOR
    assert project.status == ProjectStatus.PLANNED
    assert not project.is_public
    assert list(project.themes.all()) == [theme]
    assert list(project.responsible_staff.all()) == [planner]
    assert set(project.partners.all()) == set(partners)
    assert project.slug != "hankeidea" and project.slug.startswith("hankeidea")
    # The idea shows the link.
    page = client.get(idea.get_absolute_url()).content.decode()
    assert project.get_absolute_url() in page


def test_a_project_is_made_once_and_only_of_a_funded_idea(planner):
    applied = ProjectIdeaFactory(with_call=True, state=I.APPLIED)
    with pytest.raises(WorkflowError):
        services.create_project(applied, by=planner)

    funded = ProjectIdeaFactory(with_call=True, state=I.FUNDED)
    services.create_project(funded, by=planner)
    with pytest.raises(WorkflowError):
        services.create_project(funded, by=planner)
    assert ProjectIdea.objects.filter(project__isnull=False).count() == 1


# The pipeline ------------------------------------------------------------------------------


def test_the_pipeline_groups_by_state_with_the_nearest_deadline_first(client, planner):
    today = timezone.localdate()
    later = ProjectIdeaFactory(
        name="Myöhempi", state=I.PLANNING, call_deadline=today + datetime.timedelta(days=90)
    )
    sooner = ProjectIdeaFactory(
        name="Aiempi", state=I.PLANNING, call_deadline=today + datetime.timedelta(days=10)
    )
    undated = ProjectIdeaFactory(name="Ajaton", state=I.PLANNING)
    applied = ProjectIdeaFactory(name="Haettu", with_call=True, state=I.APPLIED)
    client.force_login(planner)

    response = client.get(reverse("development:idea_pipeline"))

    sections = {state: ideas for state, _label, ideas in response.context["sections"]}
    assert sections[I.PLANNING] == [sooner, later, undated]
    assert sections[I.APPLIED] == [applied]
    assert sections[I.IDEA] == []
    html = response.content.decode()
    assert html.index('id="state-planning"') < html.index("Aiempi") < html.index("Myöhempi")
    assert html.index("Myöhempi") < html.index('id="state-applied"') < html.index("Haettu")


def test_a_pipeline_item_shows_deadline_call_funder_planner_role_partners_and_project(
    client, planner
):
    """The items through Jinja2 (development.rows): what a planner reads of each idea."""
    funded = ProjectIdeaFactory(
        name="Rahoitettu",
        with_call=True,
        state=I.FUNDED,
        planner=planner,
        pikassos_role=ProjectRole.COORDINATOR,
        funder=Organisation.objects.get(slug="pikassos"),
    )
    funded.partners.add(
        Organisation.objects.get(slug="pori"), Organisation.objects.get(slug="eura")
    )
    project = services.create_project(funded, by=planner)
    ProjectIdeaFactory(name="Alkuidea", state=I.IDEA)
    client.force_login(planner)
    html = client.get(reverse("development:idea_pipeline")).content.decode()
    item = html.split("Rahoitettu</a>", 1)[1].split("</article>", 1)[0]
    funded.refresh_from_db()
    deadline = funded.call_deadline
    assert (
        f'Määräaika <time datetime="{deadline.isoformat()}">'
        f"{deadline.day}.{deadline.month}.{deadline.year}</time>"
    ) in item
    assert f" · {funded.call}" in item and f" · {funded.funder}" in item
    assert f"Suunnittelija: {planner}" in item and "Pikassos: Koordinaattori" in item
    assert "Kumppanit: Eura, Pori" in item
    assert f'<a href="{project.get_absolute_url()}">{project.display_name}</a>' in item
    idea = html.split("Alkuidea</a>", 1)[1].split("</article>", 1)[0]
    assert "Ei vielä määräaikaa" in idea and "Ei suunnittelijaa" in idea


def test_the_pipeline_shows_a_few_of_each_state_and_pages_the_rest(client, planner, monkeypatch):
    """Issue 18: the pipeline lists at most IDEAS_PER_STATE of a state, the nearest
    deadlines, with the state's count and a link to all of it, which is paged."""
    monkeypatch.setattr(views, "IDEAS_PER_STATE", 2)
    today = timezone.localdate()
    ideas = [
        ProjectIdeaFactory(
            name=f"Idea {days}",
            state=I.PLANNING,
            call_deadline=today + datetime.timedelta(days=days),
        )
        for days in (30, 10, 20)
    ]
    client.force_login(planner)

    response = client.get(reverse("development:idea_pipeline"))

    sections = {state: ideas for state, _label, ideas in response.context["sections"]}
    assert sections[I.PLANNING] == [ideas[1], ideas[2]]
    assert sections[I.PLANNING].total == 3
    html = response.content.decode()
    assert "Idea 30" not in html
    assert "?state=planning" in html

    one = client.get(reverse("development:idea_pipeline"), {"state": "planning"})

    [(state, _label, shown)] = one.context["sections"]
    assert (state, shown) == (I.PLANNING, [ideas[1], ideas[2], ideas[0]])
