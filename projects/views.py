import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.decorators import allowed_if
from common.rows import instances, rows_of
from common.versioning import EditConflict
from projects.forms import ProjectFilterForm, ProjectForm, project_formsets
from projects.models import Event, NewsItem, Partnership, Project, ProjectLink, ProjectOutput
from projects.policies import can_edit, can_read_internal
from projects.services import save_project

PAGE_SIZE = 25
# How many news items and events of each kind a project page shows; the rest are a
# link away (the news and event lists filtered by the project).
PROJECT_NEWS_COUNT = 10
PROJECT_EVENT_COUNT = 10


def get_project_for_user(user, slug, queryset=None):
    """The project if this user may read it; 404 otherwise (internal ones included)."""
    queryset = Project.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset.visible_to(user), slug=slug)


@login_not_required
@require_safe
def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    projects = (
        Project.objects.visible_to(request.user)
        .select_related("funder")
        .prefetch_related("themes")
        .order_by("name", "pk")
    )
    if form.is_bound:
        projects = form.filter(projects)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/project_list.html",
        {
            "form": form,
            "page_obj": page,
            "projects": page.object_list,
            "can_edit": can_edit(request.user),
        },
    )


@login_not_required
@require_safe
def project_detail(request, slug):
    user = request.user
    prefetches = [
        "themes",
        Prefetch(
            "partnerships",
            queryset=Partnership.objects.select_related("organisation").order_by(
                "organisation__name"
            ),
        ),
    ]
    if can_read_internal(user):
        prefetches.append("responsible_staff")
    # The links and outputs inside the project's own query (the page's query budget).
    project = get_project_for_user(
        user,
        slug,
        Project.objects.select_related("funder")
        .prefetch_related(*prefetches)
        .annotate(
            link_rows=rows_of(
                ProjectLink.objects.filter(project=OuterRef("pk")).order_by("title", "pk"),
                "id",
                "title",
                "url",
            ),
            output_rows=rows_of(
                ProjectOutput.objects.filter(project=OuterRef("pk")).order_by(
                    "-published_on", "title", "pk"
                ),
                "id",
                "kind",
                "title",
                "url",
                "published_on",
            ),
        ),
    )
    now = timezone.now()
    events = Event.objects.visible_to(user).filter(project=project).select_related("organiser")
    news = (
        NewsItem.objects.visible_to(user)
        .filter(projects=project)
        .order_by("-published_at")[:PROJECT_NEWS_COUNT]
    )
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "links": instances(ProjectLink, project.link_rows),
            "outputs": instances(ProjectOutput, project.output_rows),
            "upcoming_events": events.upcoming(now)[:PROJECT_EVENT_COUNT],
            "past_events": events.past(now)[:PROJECT_EVENT_COUNT],
            "news_items": news,
            "can_edit": can_edit(user),
            "show_staff": can_read_internal(user),
        },
    )


@allowed_if(can_edit)
@require_http_methods(["GET", "POST"])
def project_create(request):
    return _project_form(request, Project())


@allowed_if(can_edit)
@require_http_methods(["GET", "POST"])
@transaction.non_atomic_requests
def project_edit(request, slug):
    # Showing the form only reads: no transaction, whose BEGIN and COMMIT were 2 of the
    # page's queries (issue 18). Saving runs in one, as ATOMIC_REQUESTS would.
    with transaction.atomic() if request.method == "POST" else contextlib.nullcontext():
        return _project_form(request, get_object_or_404(Project, slug=slug))


def _project_form(request, project):
    creating = project.pk is None
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, instance=project)
    formsets = project_formsets(data, project)
    if data is not None:
        # Validate everything, so every error is shown at once.
        valid = [form.is_valid()] + [formset.is_valid() for formset in formsets.values()]
        if all(valid):
            try:
                project = save_project(form=form, formsets=formsets.values())
            except EditConflict as conflict:
                # Saved by someone else since the form was loaded (issue 16, part 5).
                form.show_conflict(conflict.current)
            else:
                messages.success(
                    request, _("The project was created.") if creating else _("Changes saved.")
                )
                return redirect(project)
    return render(
        request,
        "projects/project_form.html",
        {
            "form": form,
            "formsets": formsets,
            "project": project,
            "creating": creating,
        },
    )
