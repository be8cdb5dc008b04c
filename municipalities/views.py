from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from municipalities.forms import DirectoryFilterForm
from municipalities.models import Membership, Organisation, ServiceOffering

PAGE_SIZE = 25


def directory(request):
    """The organisations of the region: those of today (and to come), paged, then the
    former ones, latest end first, with their end date and successor (issue 14, part 5).
    The default page shows the first PAGE_SIZE former ones and links to all of them
    (the "former" status filter), which pages them instead."""
    form = DirectoryFilterForm(request.GET or None)
    organisations = Organisation.objects.select_related("successor").order_by("name")
    if form.is_bound:
        organisations = form.filter(organisations)
    today = timezone.localdate()
    former = organisations.former(today).order_by("-valid_to", "name")
    only_former = (
        form.is_bound and form.is_valid() and form.cleaned_data["status"] == (form.STATUS_FORMER)
    )
    if only_former:
        page = Paginator(former, PAGE_SIZE).get_page(request.GET.get("page"))
        current, former_rows, former_count = [], page.object_list, page.paginator.count
        total = former_count
    else:
        page = Paginator(organisations.exclude(valid_to__lt=today), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        current, former_rows, former_count = page.object_list, former[:PAGE_SIZE], former.count()
        total = page.paginator.count + former_count
    all_former = request.GET.copy()
    all_former["status"] = form.STATUS_FORMER
    all_former.pop("page", None)
    return render(
        request,
        "municipalities/directory.html",
        {
            "form": form,
            "page_obj": page,
            "organisations": current,
            "former": former_rows,
            "former_count": former_count,
            "former_more": not only_former and former_count > PAGE_SIZE,
            "all_former_query": all_former.urlencode(),
            "total": total,
        },
    )


def detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.select_related("successor").prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("authority").order_by("valid_from"),
            ),
            Prefetch(
                "member_links",
                queryset=Membership.objects.select_related("member").order_by("member__name"),
            ),
            Prefetch(
                "service_offerings",
                queryset=ServiceOffering.objects.select_related("service").prefetch_related(
                    "municipalities"
                ),
            ),
            Prefetch(
                "services_received",
                queryset=ServiceOffering.objects.select_related("service", "provider"),
            ),
            Prefetch("area", queryset=Organisation.objects.order_by("name")),
            "area_of",
            "owners",
            "owned_organisations",
            "predecessors",
            "contacts",
            "preparedness_measures",
        ),
        slug=slug,
    )
    return render(
        request,
        "municipalities/detail.html",
        {"organisation": organisation},
    )
