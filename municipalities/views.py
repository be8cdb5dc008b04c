import datetime

from django.core.paginator import Paginator
from django.db.models import BigIntegerField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from common.display import choice_labels, short_dates, slug_url
from common.jinja2 import render_rows
from common.rows import instances, rows_of
from municipalities import choices
from municipalities.forms import DirectoryFilterForm
from municipalities.models import (
    ContactPerson,
    Membership,
    Organisation,
    OrganisationKind,
    PreparednessMeasure,
    ServiceOffering,
)

PAGE_SIZE = 25


def describe_organisations(organisations):
    """Each directory row's text in the active language, computed once per page."""
    kinds = choice_labels(OrganisationKind.choices)
    url = slug_url("municipalities:detail")
    short_date = short_dates()
    current = _("Current")
    today = timezone.localdate()
    for o in organisations:
        o.url = url(o.slug)
        o.kind_label = kinds.get(o.kind, o.kind)
        o.ended_on = short_date(o.valid_to)
        o.successor_url = o.successor_name = None
        if o.valid_from is not None and o.valid_from > today:
            o.status_label = _("From %(date)s") % {"date": short_date(o.valid_from)}
        else:
            o.status_label = current
        if o.successor is not None:
            o.successor_url = url(o.successor.slug)
            o.successor_name = o.successor.display_name
    return organisations


def directory(request):
    """The organisations of the region: those of today (and to come), paged, then the
    former ones, latest end first, with their end date and successor (issue 14, part 5).
    The default page shows the first PAGE_SIZE former ones and links to all of them
    (the "former" status filter), which pages them instead."""
    form = DirectoryFilterForm(request.GET or None)
    today = timezone.localdate()

    def results():
        organisations = Organisation.objects.select_related("successor").order_by("name")
        if form.is_bound:
            organisations = form.filter(organisations)
        former = organisations.former(today).order_by("-valid_to", "name")
        only_former = (
            form.is_bound
            and form.is_valid()
            and form.cleaned_data["status"] == (form.STATUS_FORMER)
        )
        if only_former:
            page = Paginator(former, PAGE_SIZE).get_page(request.GET.get("page"))
            current, former_rows, former_count = [], page.object_list, page.paginator.count
            total = former_count
        else:
            page = Paginator(organisations.exclude(valid_to__lt=today), PAGE_SIZE).get_page(
                request.GET.get("page")
            )
            current = page.object_list
            former_rows, former_count = former[:PAGE_SIZE], former.count()
            total = page.paginator.count + former_count
        all_former = request.GET.copy()
        all_former["status"] = form.STATUS_FORMER
        all_former.pop("page", None)
        return render_to_string(
            "municipalities/includes/directory_results.html",
            {
                "page_obj": page,
                "organisations": current,
                "former": former_rows,
                # Through Jinja2: 50 rows through Django's engine were most of the page
                # (issue 18).
                "organisation_rows": render_rows(
                    "municipalities/includes/organisation_rows.jinja",
                    {"organisations": describe_organisations(list(current))},
                ),
                "former_rows": render_rows(
                    "municipalities/includes/organisation_rows.jinja",
                    {"organisations": describe_organisations(list(former_rows)), "former": True},
                ),
                "former_count": former_count,
                "former_more": not only_former and former_count > PAGE_SIZE,
                "all_former_query": all_former.urlencode(),
                "total": total,
            },
            request=request,
        )

    # The same for everyone who asks the same on the same day: kept rendered until an
    # organisation changes (municipalities.choices.kept).
    asked = ["directory", today.isoformat(), request.GET.urlencode()]
    return render(
        request,
        "municipalities/directory.html",
        {"form": form, "results": mark_safe(choices.kept(asked, results))},
    )


def detail(request, slug):
    """An organisation's page in a few queries whatever it lists (issue 18): its contact
    persons and preparedness measures inside its own query, the organisations related to
    it in one, its memberships both ways in one, its services offered and received in
    one."""
    organisation = get_object_or_404(
        Organisation.objects.select_related("successor").annotate(
            contact_rows=rows_of(
                ContactPerson.objects.filter(organisation=OuterRef("pk")).order_by("name", "pk"),
                "id",
                "name",
                "title",
                "email",
                "phone",
            ),
            measure_rows=rows_of(
                PreparednessMeasure.objects.filter(provider=OuterRef("pk")).order_by(
                    "-recorded_on", "title", "pk"
                ),
                "id",
                "title",
                "description",
                "recorded_on",
            ),
        ),
        slug=slug,
    )
    related = _related_organisations(organisation)
    memberships = list(
        Membership.objects.filter(Q(member=organisation) | Q(authority=organisation))
        .select_related("member", "authority")
        .order_by("member__name", "pk")
    )
    offerings = list(
        ServiceOffering.objects.annotate(
            received=Exists(
                ServiceOffering.municipalities.through.objects.filter(
                    serviceoffering=OuterRef("pk"), organisation=organisation
                )
            )
        )
        .filter(Q(provider=organisation) | Q(received=True))
        .select_related("service", "provider")
        .order_by("provider__name", "service__order", "pk")
    )
    offered = [o for o in offerings if o.provider_id == organisation.pk]
    for offering in offered:
        offering.municipality_list = related.get(("offering", offering.pk), [])
    return render(
        request,
        "municipalities/detail.html",
        {
            "organisation": organisation,
            "area": related.get("area", []),
            "area_of": related.get("area_of", []),
            "owners": related.get("owners", []),
            "owned": related.get("owned", []),
            "predecessors": related.get("predecessors", []),
            # Oldest first, those without a start last, as PostgreSQL orders them.
            "memberships": sorted(
                (m for m in memberships if m.member_id == organisation.pk),
                key=lambda m: (m.valid_from is None, m.valid_from or datetime.date.min),
            ),
            "members": [m for m in memberships if m.authority_id == organisation.pk],
            "offerings": offered,
            "received": [o for o in offerings if o.received],
            "contacts": instances(ContactPerson, organisation.contact_rows),
            "measures": instances(PreparednessMeasure, organisation.measure_rows),
        },
    )


def _related_organisations(organisation):
    """The organisations related to `organisation`, by name, in one query (a UNION):
    {relation: [organisation]}, and {("offering", id): [municipality]} of its service
    offerings."""
    # Typed: PostgreSQL resolves a UNION of bare NULLs as text.
    none = Cast(Value(None), BigIntegerField())
    parts = [
        (Organisation.objects.filter(area_of=organisation), "area", none),
        (Organisation.objects.filter(area=organisation), "area_of", none),
        (Organisation.objects.filter(owned_organisations=organisation), "owners", none),
        (Organisation.objects.filter(owners=organisation), "owned", none),
        (Organisation.objects.filter(successor=organisation), "predecessors", none),
        (
            Organisation.objects.filter(services_received__provider=organisation),
            "offering",
            F("services_received__pk"),
        ),
    ]
    queries = [
        queryset.annotate(relation=Value(relation), offering=offering).order_by()
        for queryset, relation, offering in parts
    ]
    related = {}
    for found in queries[0].union(*queries[1:], all=True).order_by("name", "pk"):
        key = found.relation if found.offering is None else ("offering", found.offering)
        related.setdefault(key, []).append(found)
    return related
