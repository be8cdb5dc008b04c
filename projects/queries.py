"""Reads other apps make of projects and events, with their scoping in one place."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Event, Partnership, Project, ProjectRole


def with_projects(organisations, user):
    """Annotate organisations with the projects they partner in or fund, for `user`'s eyes.

    The rows come back inside the organisation query itself (arrays of JSON objects), so
    an organisation page spends no query on them, however many there are.
    """
    visible = Project.objects.visible_to(user)
    partner_rows = (
        Partnership.objects.filter(organisation=OuterRef("pk"), project__in=visible)
        .order_by("project__name", "project__pk")
        .values(
            row=JSONObject(
                slug="project__slug",
                name="project__name",
                name_sv="project__name_sv",
                role="role",
            )
        )
    )
    funded_rows = (
        visible.filter(funder=OuterRef("pk"))
        .order_by("name", "pk")
        .values(row=JSONObject(slug="slug", name="name", name_sv="name_sv"))
    )
    return organisations.annotate(
        partner_project_rows=ArraySubquery(partner_rows),
        funded_project_rows=ArraySubquery(funded_rows),
    )


def projects_of(organisation):
    """(project, role label or "") pairs of an organisation annotated by `with_projects`.

    The projects are unsaved `Project` instances holding what a link needs (slug, names).
    """

    def project(row):
        return Project(slug=row["slug"], name=row["name"], name_sv=row["name_sv"])

    # A partner whose role is not recorded is listed without one.
    pairs = [
        (project(row), ProjectRole(row["role"]).label if row["role"] else "")
        for row in organisation.partner_project_rows
    ]
    pairs += [(project(row), _("Funder")) for row in organisation.funded_project_rows]
    return pairs


def upcoming_events_for(organisation, user, now=None):
    """Upcoming events the organisation organises or is invited to, next first: one query."""
    invited = Event.target_organisations.through.objects.filter(
        event=OuterRef("pk"), organisation=organisation
    )
    return list(
        Event.objects.visible_to(user)
        .upcoming(now or timezone.now())
        .filter(Q(organiser=organisation) | Q(Exists(invited)))
    )
