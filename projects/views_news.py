from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import allowed_if
from common.versioning import EditConflict
from projects import caching
from projects.forms import DeleteForm, NewsFilterForm, NewsItemForm
from projects.models import NewsItem, Project
from projects.policies import can_edit
from projects.services import delete_news_item, save_news_item

PAGE_SIZE = 20


def get_news_item_for_user(user, uuid, queryset=None):
    """The news item if this user may read it; 404 otherwise (internal ones included)."""
    queryset = NewsItem.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset.visible_to(user), uuid=uuid)


@login_not_required
@require_safe
def news_list(request):
    form = NewsFilterForm(request.GET or None)

    def results():
        items = (
            NewsItem.objects.visible_to(request.user)
            .prefetch_related("tags")
            .order_by("-published_at", "-pk")
        )
        if form.is_bound:
            items = form.filter(items)
        page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
        return render_to_string(
            "projects/includes/news_results.html",
            {"page_obj": page, "news_items": page.object_list},
            request=request,
        )

    def filter_fields():
        # The tags to choose from and what is wrong with the search asked: the same for
        # everybody who asks the same, and a tag changes the generation.
        return render_to_string(
            "projects/includes/news_filter_fields.html", {"form": form}, request=request
        )

    # The same for everyone of an audience who asks the same (the search, the tag, the
    # page): kept rendered (projects.caching), the filter's fields too (their tags were
    # a query on every page).
    asked = request.GET.urlencode()
    return render(
        request,
        "projects/news_list.html",
        {
            "filter_fields": mark_safe(caching.kept(["news-filter", asked], filter_fields)),
            "results": mark_safe(
                caching.kept(["news", caching.news_audience(request.user), asked], results)
            ),
            "can_edit": can_edit(request.user),
        },
    )


@login_not_required
@require_safe
def news_detail(request, uuid):
    user = request.user
    item = get_news_item_for_user(
        user,
        uuid,
        NewsItem.objects.select_related("author").prefetch_related("tags", "organisations"),
    )
    return render(
        request,
        "projects/news_detail.html",
        {
            "item": item,
            # Related projects the reader may open; internal ones stay unnamed.
            "projects": Project.objects.visible_to(user).filter(news_items=item),
            "can_edit": can_edit(user),
        },
    )


@allowed_if(can_edit)
@require_http_methods(["GET", "POST"])
def news_create(request):
    return _news_form(request, NewsItem())


@allowed_if(can_edit)
@require_http_methods(["GET", "POST"])
def news_edit(request, uuid):
    return _news_form(request, get_object_or_404(NewsItem, uuid=uuid))


def _news_form(request, item):
    creating = item.pk is None
    form = NewsItemForm(request.POST if request.method == "POST" else None, instance=item)
    if form.is_bound and form.is_valid():
        try:
            item = save_news_item(form=form, by=request.user)
        except EditConflict as conflict:
            # Saved by someone else since the form was loaded (issue 16, part 5).
            form.show_conflict(conflict.current)
        else:
            messages.success(
                request, _("The news item was created.") if creating else _("Changes saved.")
            )
            return redirect(item)
    return render(
        request,
        "projects/news_form.html",
        {"form": form, "item": item, "creating": creating, "delete_form": DeleteForm()},
    )


@allowed_if(can_edit)
@require_POST
def news_delete(request, uuid):
    item = get_object_or_404(NewsItem, uuid=uuid)
    if not DeleteForm(request.POST).is_valid():
        messages.error(request, _("Tick the box to confirm the deletion."))
        return redirect("news:edit", uuid=item.uuid)
    delete_news_item(item)
    messages.success(request, _("The news item was deleted."))
    return redirect("news:list")
