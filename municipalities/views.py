from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from municipalities.forms import DirectoryFilterForm
from municipalities.models import Membership, Organisation, ServiceOffering

PAGE_SIZE = 25


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    organisations = Organisation.objects.select_related("successor").order_by("name")
    if form.is_bound:
        organisations = form.filter(organisations)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "municipalities/directory.html",
        {"form": form, "page_obj": page, "organisations": page.object_list},
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
