import uuid as uuidlib
from collections import Counter
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import CharField, Func, OuterRef, Prefetch, Q, Value
from django.db.models.functions import TruncDate
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.decorators import allowed_if
from accounts.middleware import session_remaining
from accounts.resubmit import restored_submission, restores_expired_submission
from common.display import choice_labels
from common.exceptions import WorkflowError
from common.exports import csv_response
from common.forms import form_errors_to_messages
from common.jinja2 import render_rows
from common.versioning import EditConflict
from guardianship import access_report, casefile, documents, listing, policies, services
from guardianship.access import (
    AccessRefused,
    children_in_order,
    get_request_for_user,
    log_access,
    log_list,
)
from guardianship.enums import (
    UNMATCHED_STATES,
    AccessAction,
    AssignmentStatus,
    State,
    StepName,
)
from guardianship.forms import (
    AppointmentForm,
    ChildFormSet,
    CustodianFormSet,
    DocumentForm,
    EndForm,
    FileApplicationForm,
    GuardianFilterForm,
    GuardianForm,
    GuardianshipRequestForm,
    IdentityCodeSearchForm,
    NoteForm,
    ReasonForm,
    ReassignForm,
    RequestExportForm,
    RequestFilterForm,
    TransferForm,
)
from guardianship.history import history_of
from guardianship.matching import rank_guardians
from guardianship.models import (
    Assignment,
    Child,
    Guardian,
    GuardianshipRequest,
    RequestDocument,
    RequestEvent,
)
from guardianship.models.requests import custodian_rows, short_reference_sql
from guardianship.steps import STEPS
from municipalities import choices

PAGE_SIZE = 50


def _children_prefetch(prefix=""):
    return Prefetch(f"{prefix}children", queryset=Child.objects.select_related("home_municipality"))


# What the CSV export shows, and no more (the queue itself reads its columns as
# tuples: guardianship/listing.py); every column of every row cost more than the SQL.
LIST_FIELDS = (
    "uuid",
    "state",
    "urgency",
    "matter",
    "submitted_at",
    "organisation__name",
    "organisation__name_sv",
    "created_by",
    "responsible_worker",
    "unit",
)


def _list_children_prefetch():
    # Ordered by id alone: the model's ordering would join the requests again.
    return Prefetch(
        "children",
        queryset=Child.objects.only("request_id", "first_name", "last_name").order_by("id"),
    )


def _filter_form(user, data=None):
    form = RequestFilterForm(data or None)
    if not policies.can_manage_pool(user):
        del form.fields["needs"]  # the coordinator's work lists
    return form


def filtered_requests(user, data):
    """The user's requests narrowed by the filter form and in the order of `?sort=` (an
    unknown order is ignored); (form, queryset)."""
    sort = listing.sort_of(data.get("sort") if data else None)
    form = _filter_form(user, data)
    requests = (
        policies.requests_for(user)
        .select_related("organisation")
        .only(*LIST_FIELDS)
        .prefetch_related(_list_children_prefetch())
    )
    return form, form.filter(requests, user=user, sort=sort)


def _flag_unmatched(requests):
    limit = timezone.now() - timezone.timedelta(days=settings.GUARDIANSHIP_UNMATCHED_DAYS)
    for r in requests:
        r.waiting_too_long = (
            r.state in UNMATCHED_STATES and r.submitted_at is not None and r.submitted_at < limit
        )


@sensitive_post_parameters("identity_code")
@allowed_if(policies.can_see_requests)
def request_list(request):
    """The queue, filtered by GET; or, by POST, the requests of the child whose identity
    code was given (issue 13, part 3), which never goes into a URL or a log line."""
    code_search = None
    if request.method == "POST":
        code_search = IdentityCodeSearchForm(request.POST)
        form = _filter_form(request.user)
        requests = code_search.filter(policies.requests_for(request.user))
        page_number = None
    else:
        form, requests = filtered_requests(request.user, request.GET)
        page_number = request.GET.get("page")
    sort = listing.sort_of(request.GET.get("sort"))
    kept = listing.filter_params(request.GET, form.fields)
    page = listing.request_rows(requests, page_number, PAGE_SIZE)
    rows = page.object_list
    bases = policies.bases_for(request.user, rows)
    if code_search is not None:
        rows = [r for r in rows if policies.basis_reveals_identity_code(bases.get(r.pk, ""))]
    _flag_unmatched(rows)
    listing.describe(rows, first_names_only=policies.first_names_only(request.user, rows))
    children = [child for row in rows for child in row.children]
    if children:
        log_access(request, AccessAction.LIST, children=children, basis=bases)
    return render(
        request,
        "guardianship/request_list.html",
        {
            "form": form,
            "code_form": IdentityCodeSearchForm() if code_search is None else code_search,
            "code_search": code_search,
            # The results of a search by code have no further pages to link to by GET.
            "page_obj": page if code_search is None else None,
            "more_found": code_search is not None and page.has_next,
            "requests": rows,
            "request_rows": render_rows(
                "guardianship/includes/request_rows.jinja",
                {
                    "requests": rows,
                    # Translated here: makemessages reads no .jinja file (common/jinja2.py).
                    "unmatched_label": _("Unmatched over %(days)s days")
                    % {"days": settings.GUARDIANSHIP_UNMATCHED_DAYS},
                },
            ),
            # Sorting links only for the list read by GET (a code search has no URL).
            "sort_headers": listing.sort_headers(kept, sort) if code_search is None else {},
            "export_query": urlencode([*kept, ("sort", sort)]),
            "sort": sort,
            "default_sort": listing.DEFAULT_SORT,
        },
    )


# The most requests one export carries: the region files a few hundred a year, the
# benchmark's volume some 20 000 (5 000 a quarter); a longer list is refused with a word
# to shorten the period, never cut short.
EXPORT_LIMIT = 10_000
EXPORT_FIELDS = (
    "pk",
    "state",
    "organisation_id",
    "matter",
    "urgency",
    "created_by_id",
    "responsible_worker_id",
    "unit_id",
)


@allowed_if(policies.can_export_requests)
def request_export(request):
    """The filtered queue, submitted in a period, as CSV for reporting; no identity
    codes, access-logged. Without a period (the list's link), the page that asks for one;
    with an invalid one, that page and its errors."""
    form, requests = filtered_requests(request.user, request.GET)
    asked = "start" in request.GET or "end" in request.GET
    period = RequestExportForm(request.GET if asked else None)
    if not (asked and period.is_valid() and not form.errors):
        return _export_page(request, form, period, status=400 if asked else 200)
    # Rows and the children as tuples, not models: building 5 000 models took a third
    # of the time of a quarter's export, and the prefetch and the labels looked up per
    # row took seconds for 10 000 (issue 18). The organisations' names from memory
    # (municipalities.choices), not joined per row. The rows carry what
    # policies.bases_for reads of a request. The reference and the Finnish date of
    # submission come from PostgreSQL as text: read as a timestamp, each row's time went
    # through Django's time zone loader in Python, a quarter of the export's time, and a
    # date through a converter per row (issue 18).
    zone = timezone.get_current_timezone()
    requests = list(
        period.filter(requests)
        .prefetch_related(None)
        .select_related(None)
        .annotate(
            reference=short_reference_sql("uuid"),
            submitted_on=Func(
                TruncDate("submitted_at", tzinfo=zone),
                Value("DD.MM.YYYY"),
                function="to_char",
                output_field=CharField(),
            ),
        )
        .values_list(*EXPORT_FIELDS, "reference", "submitted_on", named=True)[: EXPORT_LIMIT + 1]
    )
    if len(requests) > EXPORT_LIMIT:
        period.add_error(
            None,
            _("The period holds more than %(n)s requests: choose a shorter one.")
            % {"n": formats.number_format(EXPORT_LIMIT, force_grouping=True)},
        )
        return _export_page(request, form, period, status=400)
    names = choices.organisation_names({r.organisation_id for r in requests})
    # In the order the requests are listed, as log_list names them.
    children = children_in_order([r.pk for r in requests])
    child_count = Counter(child.request_id for child in children)
    if children:
        log_access(
            request,
            AccessAction.EXPORT,
            children=children,
            basis=policies.bases_for(request.user, requests),
        )
    field = GuardianshipRequest._meta.get_field
    states, matters, urgencies = (
        choice_labels(field(name).choices) for name in ("state", "matter", "urgency")
    )
    header = [
        _("Reference"),
        _("State"),
        _("Organisation"),
        _("Matter"),
        _("Urgency"),
        _("Submitted"),
        _("Children"),
    ]
    rows = (
        [
            r.reference,
            states.get(r.state, r.state),
            names[r.organisation_id],
            matters.get(r.matter, r.matter),
            urgencies.get(r.urgency, r.urgency),
            r.submitted_on,
            child_count[r.pk],
        ]
        for r in requests
    )
    start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    return csv_response(f"pyynnot-{start:%Y%m%d}-{end:%Y%m%d}.csv", header, rows)


def _applied_filters(form, kept):
    """[(label, value)] of the filters in `kept` as the list's form shows them: a
    choice by its label."""
    applied = []
    for name, value in kept:
        field = form.fields[name]
        labels = {str(k): label for k, label in getattr(field, "choices", ())}
        if value:
            applied.append((field.label, labels.get(value, value)))
    return applied


def _export_page(request, form, period, status):
    """The page asking for the export's period, the list's filters carried in it."""
    kept = listing.filter_params(request.GET, form.fields)
    sort = listing.sort_of(request.GET.get("sort"))
    return render(
        request,
        "guardianship/request_export.html",
        {
            "form": form,
            "period_form": period,
            "applied": _applied_filters(form, kept),
            "kept": [*kept, ("sort", sort)],
            "list_query": urlencode([*kept, ("sort", sort)]),
        },
        status=status,
    )


FORMSETS = {"children": ChildFormSet, "custodians": CustodianFormSet}


def _rows_with_ids_first(data, prefix, formset_class):
    """The posted rows of a formset, those with an id (saved rows) first.

    A page whose draft was saved by autosave (issue 16) keeps its rows in their order and
    gives the saved ones their ids, so a saved row may follow a new one; Django's formset
    wants its saved rows first. (data, order): order[i] is the page's number of row i.
    """
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), formset_class.absolute_max)
    except ValueError:
        return data, []
    rows = list(range(max(total, 0)))
    order = [i for i in rows if data.get(f"{prefix}-{i}-id")]
    initial = len(order)
    order += [i for i in rows if not data.get(f"{prefix}-{i}-id")]
    if order == rows and data.get(f"{prefix}-INITIAL_FORMS") == str(initial):
        return data, order
    moved = data.copy()
    for key in list(moved):
        if any(key.startswith(f"{prefix}-{i}-") for i in rows):
            del moved[key]
    for new, old in enumerate(order):
        for key, values in data.lists():
            if key.startswith(f"{prefix}-{old}-"):
                moved.setlist(f"{prefix}-{new}-{key[len(f'{prefix}-{old}-') :]}", values)
    moved[f"{prefix}-INITIAL_FORMS"] = str(initial)
    return moved, order


def _request_forms(http_request, instance=None, data=None, draft=False):
    """The request form and its children's and custodians' formsets, bound to `data`
    (the post, or a submission restored after a login) with its rows' order (see
    `_rows_with_ids_first`); a draft's forms do not require what is not typed yet."""
    if data is None and http_request.method == "POST":
        data = http_request.POST
    orders = {}
    if data is not None:
        for prefix, formset_class in FORMSETS.items():
            data, orders[prefix] = _rows_with_ids_first(data, prefix, formset_class)
    form = GuardianshipRequestForm(
        data,
        instance=instance,
        user=http_request.user,
        draft=draft,
        initial=(
            {}
            if instance
            else {
                "worker_name": http_request.user.get_full_name(),
                "worker_title": http_request.user.title,
                "worker_phone": http_request.user.phone,
                "worker_email": http_request.user.email,
                "idempotency_key": uuidlib.uuid4(),
            }
        ),
    )
    if instance is not None:
        form.fields["idempotency_key"].required = False
    instance = instance or GuardianshipRequest()
    formset = ChildFormSet(data, instance=instance, prefix="children", draft=draft)
    custodians = CustodianFormSet(data, instance=instance, prefix="custodians", draft=draft)
    form.row_orders = orders
    return form, formset, custodians


def _is_draft(http_request):
    """A post of "Save as draft", or the autosave's, rather than "Submit"."""
    return "submit" not in http_request.POST


def _is_autosave(http_request):
    return http_request.method == "POST" and http_request.POST.get("autosave") == "1"


def _saved_ids(form, *formsets):
    """{"children-3-id": pk}: the ids of the rows the save stored, by the page's numbers
    of the rows, for the autosave to give the page."""
    ids = {}
    for formset in formsets:
        order = form.row_orders.get(formset.prefix, [])
        for i, subform in enumerate(formset.forms):
            if subform.instance.pk is not None and i < len(order) and not _deleted(subform):
                ids[f"{formset.prefix}-{order[i]}-id"] = subform.instance.pk
    return ids


def _deleted(subform):
    return bool(getattr(subform, "cleaned_data", {}).get("DELETE"))


def _draft_answer(http_request, obj, form, formset, custodians, action):
    """After a draft was saved: the autosave's JSON; the form again, with the errors of
    the values left out, when some were; else the request's page."""
    kept_out = form.kept_out or formset.kept_out or custodians.kept_out
    version = GuardianshipRequest.objects.values_list("version", flat=True).get(pk=obj.pk)
    if _is_autosave(http_request):
        log_access(
            http_request,
            action,
            children=obj.children.all(),
            basis=policies.access_basis(http_request.user, obj),
        )
        return JsonResponse(
            {
                "saved": True,
                "message": _("Draft saved at %(time)s")
                % {"time": formats.time_format(timezone.localtime(), "H.i")},
                "kept_out": bool(kept_out),
                "version": version,
                "action": reverse("guardianship:request_edit", kwargs={"uuid": obj.uuid}),
                "ids": _saved_ids(form, formset, custodians),
                "session_remaining": session_remaining(http_request.session),
            }
        )
    if not kept_out:
        _saved(http_request, obj, action)
        return redirect(obj)
    # What was typed is shown again, the saved rows with their ids and the version now
    # saved, so that the next save edits this draft.
    data = form.data.copy()
    for prefix_formset in (formset, custodians):
        for i, subform in enumerate(prefix_formset.forms):
            if subform.instance.pk is not None and not _deleted(subform):
                data[f"{prefix_formset.prefix}-{i}-id"] = str(subform.instance.pk)
    data["version"] = str(version)
    log_access(
        http_request,
        action,
        children=obj.children.all(),
        basis=policies.access_basis(http_request.user, obj),
    )
    messages.warning(
        http_request,
        _("The draft was saved, except the values marked below: correct them and save again."),
    )
    return _draft_form_again(http_request, obj, data)


def _draft_form_again(http_request, obj, data, *, restored=False):
    """The form of the draft `obj` (None: a new request) bound to `data`, showing the
    errors of the values a draft cannot hold."""
    form, formset, custodians = _request_forms(http_request, instance=obj, data=data, draft=True)
    for each in (form, formset, custodians):
        each.show_kept_out()
    return render(
        http_request,
        "guardianship/request_form.html",
        {
            "form": form,
            "formset": formset,
            "custodians": custodians,
            "object": obj,
            "restored": restored,
            "form_action": (
                reverse("guardianship:request_edit", kwargs={"uuid": obj.uuid}) if obj else ""
            ),
        },
    )


def _autosave_refused(form, conflict=False):
    """The autosave's answer when nothing was saved: the page says so, quietly; the
    buttons still save (and show the reasons)."""
    return JsonResponse({"saved": False, "conflict": conflict}, status=409 if conflict else 400)


# Every field of a request is personal data: none of it in an error report.
@sensitive_post_parameters()
@restores_expired_submission
@allowed_if(policies.can_create_request)
def request_create(request):
    draft = request.method == "POST" and _is_draft(request)
    restored = restored_submission(request)
    if restored is not None:
        return _draft_form_again(request, None, restored, restored=True)
    form, formset, custodians = _request_forms(request, draft=draft)
    if request.method == "POST":
        earlier = services.earlier_request(request.POST.get("idempotency_key", ""), by=request.user)
        if earlier is not None:
            if _is_autosave(request):
                # This page's first autosave did create the draft, but the page did not
                # hear of it: it cannot know the rows' ids, so it saves no more.
                return _autosave_refused(form, conflict=True)
            # A double post of the same form: show the request the first post created.
            return redirect(earlier)
        if _all_valid(form, formset, custodians):
            try:
                created, is_new = services.create_request(
                    form, formset, custodians, by=request.user, submit=not draft
                )
            except WorkflowError as error:
                if _is_autosave(request):
                    return _autosave_refused(form)
                # Someone else's form key (or another conflict): keep what was typed,
                # give the form a fresh key and ask to send it again.
                form.data = form.data.copy()
                form.data["idempotency_key"] = str(uuidlib.uuid4())
                form.add_error(None, error.message)
            else:
                if not is_new:
                    return redirect(created)
                if draft:
                    return _draft_answer(
                        request, created, form, formset, custodians, AccessAction.CREATE
                    )
                _saved(request, created, AccessAction.CREATE)
                return redirect(created)
        elif _is_autosave(request):
            return _autosave_refused(form)
    return render(
        request,
        "guardianship/request_form.html",
        {"form": form, "formset": formset, "custodians": custodians},
    )


def _all_valid(*forms):
    """Every form and formset validated (not stopping at the first invalid one), so each
    shows its errors next to its fields at once."""
    valid = [f.is_valid() for f in forms]
    return all(valid)


def _saved(http_request, obj, action):
    log_access(
        http_request,
        action,
        children=obj.children.all(),
        basis=policies.access_basis(http_request.user, obj),
    )
    if obj.state == State.DRAFT:
        messages.success(http_request, _("The draft was saved. You can submit it later."))
    else:
        messages.success(http_request, _("The request was sent to Pikassos."))


@sensitive_post_parameters()
@restores_expired_submission
@allowed_if(policies.can_create_request)
def request_edit(request, uuid):
    obj = get_request_for_user(request, uuid, action=AccessAction.UPDATE)
    if obj.state != State.DRAFT:
        if _is_autosave(request):
            return _autosave_refused(None, conflict=True)
        messages.error(request, _("Only a draft can be edited."))
        return redirect(obj)
    restored = restored_submission(request)
    if restored is not None:
        return _draft_form_again(request, obj, restored, restored=True)
    draft = request.method == "POST" and _is_draft(request)
    form, formset, custodians = _request_forms(request, instance=obj, draft=draft)
    if request.method == "POST" and _all_valid(form, formset, custodians):
        try:
            obj = services.save_request(
                form, formset, custodians, by=request.user, submit=not draft
            )
        except EditConflict as conflict:
            if _is_autosave(request):
                return _autosave_refused(form, conflict=True)
            # A colleague saved the draft since this form was loaded (issue 16, part 5).
            form.show_conflict(conflict.current)
        except WorkflowError as error:
            if _is_autosave(request):
                return _autosave_refused(form, conflict=True)
            # Nothing of this post was saved. Submitted meanwhile: the request's page
            # says so; refused on submit: the form again, with the reason.
            if GuardianshipRequest.objects.filter(pk=obj.pk, state=State.DRAFT).exists():
                form.add_error(None, error.message)
            else:
                messages.error(request, error.message)
                return redirect(obj)
        else:
            if draft:
                return _draft_answer(request, obj, form, formset, custodians, AccessAction.UPDATE)
            _saved(request, obj, AccessAction.UPDATE)
            return redirect(obj)
    elif _is_autosave(request):
        return _autosave_refused(form)
    return render(
        request,
        "guardianship/request_form.html",
        {"form": form, "formset": formset, "custodians": custodians, "object": obj},
    )


@allowed_if(policies.can_see_requests)
@transaction.non_atomic_requests
def request_detail(request, uuid):
    # Outside a transaction (issue 18: the page's BEGIN and COMMIT were 2 of its 14
    # queries): it only reads, but for its access-log row, one INSERT that commits by
    # itself, so the row stays even if the page then fails to render. A step's form sent
    # with errors shows the page again inside the step's own transaction (request_step).
    return _request_page(request, uuid)


def _request_page(request, uuid, bound=None):
    """A request's page; `bound` is {context name: form} of a step's form sent with errors,
    shown again in place of the empty one, each error next to its field."""
    queryset = (
        GuardianshipRequest.objects.select_related(
            "organisation", "payer", "created_by", "sibling_request", "unit", "responsible_worker"
        )
        # The legal tracks and the custodians in the same query (subqueries): the page's
        # query budget.
        .with_tracks()
        .with_custodians()
    )
    queryset = queryset.prefetch_related(
        _children_prefetch(),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("guardian", "proposed_by").order_by(
                "proposed_at"
            ),
        ),
        Prefetch(
            "events",
            queryset=RequestEvent.objects.select_related("actor", "assignment__guardian"),
        ),
    )
    obj = get_request_for_user(request, uuid, queryset=queryset)
    steps = policies.allowed_steps(request.user, obj)
    # What this user may see of the request: everything, or what their phase as its
    # guardian needs (policies.GUARDIAN_FIELDS); the template shows only these parts.
    visible = policies.request_fields(request.user, obj)
    events, event_texts = policies.timeline_for(request.user, obj, obj.events.all(), visible)
    history = history_of(obj) if "history" in visible else []
    assignments = list(obj.assignments.all())
    current = casefile.current_assignment(assignments)
    past = casefile.past_assignment(obj, assignments)
    coordinator = casefile.coordinator_of(assignments, obj.events.all())
    # Whoever made a recorded change on its own, named where the page knows them.
    known = [obj.created_by, obj.responsible_worker, coordinator]
    known += [e.actor for e in events] + [a.proposed_by for a in assignments]
    context = {
        "history": history,
        # One timeline (issue 16, part 3): the steps and notes the user sees, with the
        # recorded field changes folded in for those who read the history.
        "timeline": casefile.merge_timeline(events, history, known),
        "is_open": casefile.is_open(obj),
        "next_deadline": casefile.next_deadline(obj, visible, current),
        "answer_by": casefile.answer_by(current) if "answer_by" in visible else None,
        "coordinator": coordinator if "coordinator_contacts" in visible else None,
        "guardian_contacts": policies.guardian_contacts_shown(
            request.user, current or past, visible
        ),
        "past": past,
        "object": obj,
        "visible": visible,
        "children": obj.children.all(),
        "assignments": obj.assignments.all() if "assignments" in visible else [],
        "events": events,
        "event_texts": event_texts,
        "steps": steps,
        "note_form": NoteForm(ask_for_guardian=not policies.writes_for_guardian(request.user, obj))
        if "notes" in visible
        else None,
        "tracks": obj.track_names,
        # Two reason boxes on one page: each with its own label and ids.
        "decline_form": _reason_form("decline", _("Reason for declining")),
        "cancel_form": _reason_form("cancel", _("Reason for cancelling")),
        "file_form": FileApplicationForm(initial={"court": obj.default_court}),
        "appointment_form": AppointmentForm(initial={"court": obj.court or obj.default_court}),
        "end_form": EndForm(initial={"ended_on": timezone.localdate()}),
        "transfer_form": TransferForm(initial={"unit": obj.unit_id})
        if "transfer" in steps
        else None,
        "can_reveal_identity_code": policies.can_reveal_identity_code(request.user, obj),
        **_documents_context(request, obj),
        "sees_protected": policies.sees_protected_addresses(request.user, obj),
        "current": current,
        **(bound or {}),
    }
    return render(request, "guardianship/request_detail.html", context)


def _reason_form(name, label):
    """A step's reason box named for what it explains (never a bare "Reason"), with ids
    of its own: the decline and the cancel boxes can be on the same page."""
    form = ReasonForm(auto_id=f"id_{name}_%s")
    form.fields["reason"].label = label
    return form


# The step forms of the request page and of the matching page, by the name the page's
# context gives them: one sent with errors is shown again with each error next to its
# field (issue 14); the other steps' errors are messages.
PAGE_FORMS = {
    StepName.FILE_APPLICATION: "file_form",
    StepName.RECORD_APPOINTMENT: "appointment_form",
    StepName.END: "end_form",
    StepName.TRANSFER: "transfer_form",
}


def _back_to_work(user):
    """Where a user lands after an answer that lost a race: a guardian on their own
    cases, anyone else on the queue."""
    if policies.has_cases(user) and not policies.can_manage_pool(user):
        return redirect("guardianship:my_assignments")
    return redirect("guardianship:request_list")


def _lost_race(http_request, refused):
    """A step or note on a request that is no longer the user's (issue 16, part 4). When
    the user had a part in it that has since ended (policies.lost_part: a proposal
    withdrawn, a case reassigned or transferred meanwhile), the page they sent it from was
    simply out of date: a message says so and nothing is saved or logged, since no data of
    the child was shown or changed (the access log records handling, and a "refused" row
    would read as snooping). Anyone else is refused as before: 404 and a refused row."""
    if not policies.lost_part(http_request.user, refused.guardianship_request):
        raise refused
    messages.warning(
        http_request,
        _("The request has changed meanwhile and is no longer in your hands. Nothing was saved."),
    )
    return _back_to_work(http_request.user)


@require_POST
@allowed_if(policies.can_see_requests)
def request_step(request, uuid, step):
    """Look the step up, validate its form, take it; the service checks who and when."""
    found = STEPS.get(step)
    if found is None or found.on_assignment:
        raise Http404
    try:
        obj = get_request_for_user(request, uuid, action=AccessAction.UPDATE)
    except AccessRefused as refused:
        return _lost_race(request, refused)
    form = found.form(request.POST, guardianship_request=obj) if found.form else None
    if form is not None and not form.is_valid():
        # Shown again only where the user may take the step now; else, as before, a
        # message (the service would refuse the step anyway).
        if policies.can_take(request.user, step, obj):
            if step in PAGE_FORMS:
                return _request_page(request, obj.uuid, bound={PAGE_FORMS[step]: form})
            if step == StepName.REASSIGN:
                return _matching_page(request, obj.uuid, bound=form)
        form_errors_to_messages(request, form)
        return redirect(obj)
    try:
        found.take(obj, by=request.user, data=form.cleaned_data if form else None)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved: %(step)s.") % {"step": found.label})
    return redirect(obj)


@require_POST
@allowed_if(policies.can_see_requests)
def request_note(request, uuid):
    try:
        obj = get_request_for_user(request, uuid, action=AccessAction.UPDATE)
    except AccessRefused as refused:
        return _lost_race(request, refused)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is empty or too long."))
        return redirect(obj)
    try:
        services.add_note(
            obj,
            by=request.user,
            text=form.cleaned_data["text"],
            for_guardian=form.cleaned_data["for_guardian"],
        )
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The note was added."))
    return redirect(obj)


@require_POST
@allowed_if(policies.can_see_requests)
def child_identity_code(request, uuid):
    """A child's full identity code, shown once on purpose (issue 13, part 3): one
    REVEAL row in the access log with the basis. Outside the request's scope, or to a
    part that does not need the code (a proposed guardian), 404 and a refused row."""
    child = get_object_or_404(Child.objects.select_related("request"), uuid=uuid)
    obj = get_request_for_user(request, child.request.uuid, action=AccessAction.REVEAL, log=False)
    if not policies.can_reveal_identity_code(request.user, obj):
        raise AccessRefused(obj, AccessAction.REVEAL)
    if not child.identity_code:
        raise Http404
    log_access(
        request,
        AccessAction.REVEAL,
        guardianship_request=obj,
        children=[child],
        basis=policies.access_basis(request.user, obj),
    )
    return render(request, "guardianship/identity_code.html", {"object": obj, "child": child})


@allowed_if(policies.can_manage_pool)
def request_matching(request, uuid):
    return _matching_page(request, uuid)


def _matching_page(request, uuid, bound=None):
    """The guardians to propose; `bound` is a reassignment's form sent with errors, shown
    again with the guardian it names."""
    queryset = GuardianshipRequest.objects.with_custodians().prefetch_related(_children_prefetch())
    obj = get_request_for_user(request, uuid, queryset=queryset)
    candidates = (
        rank_guardians(obj)
        if obj.state in (State.RECEIVED, State.SEARCHING)
        or (obj.state in STEPS[StepName.REASSIGN].from_states)
        else []
    )
    steps = policies.allowed_steps(request.user, obj)
    if StepName.REASSIGN in steps:
        chosen = bound.data.get("guardian") if bound is not None else None
        for number, candidate in enumerate(candidates, 1):
            candidate.reassign_form = (
                bound
                if chosen == str(candidate.guardian.uuid)
                else ReassignForm(guardianship_request=obj)
            )
            # Each candidate's form names its inputs' ids apart.
            candidate.reassign_form.auto_id = f"id_reassign{number}_%s"
        if bound is not None and all(c.reassign_form is not bound for c in candidates):
            form_errors_to_messages(request, bound)
    step = next((s for s in (StepName.PROPOSE, StepName.REASSIGN) if s in steps), None)
    return render(
        request,
        "guardianship/request_matching.html",
        {
            "object": obj,
            "candidates": candidates,
            "candidate_items": listing.candidate_items(request, obj, candidates, step),
        },
    )


ANSWERS = {
    StepName.ACCEPT: _lazy("Thank you. Your consent was recorded."),
    StepName.DECLINE: _lazy("The proposal was declined."),
}


def _answered_meanwhile(assignment):
    """Why the guardian's answer came too late, in a sentence."""
    if assignment.status == AssignmentStatus.WITHDRAWN:
        if assignment.request.state == State.CANCELLED:
            return _("The request was cancelled, so the proposal was withdrawn. Nothing was saved.")
        return _("The proposal was withdrawn, so it can no longer be answered. Nothing was saved.")
    if assignment.status == AssignmentStatus.DECLINED:
        return _("You have already declined this proposal.")
    if assignment.status == AssignmentStatus.ENDED:
        return _("This assignment has already ended.")
    return _("You have already accepted this proposal.")


@require_POST
@allowed_if(policies.can_answer_proposals)
def assignment_respond(request, uuid, answer):
    if answer not in ANSWERS:
        raise Http404
    assignment = get_object_or_404(
        Assignment.objects.select_related("request", "guardian"), uuid=uuid
    )
    if (
        assignment.guardian.user_id == request.user.pk
        and assignment.status != AssignmentStatus.PROPOSED
    ):
        # The guardian's own proposal, answered on a page loaded before it was withdrawn
        # (or answered on another tab): a race lost, told as such, not a refused look at
        # the child's data, so nothing is logged (issue 16, part 4; see _lost_race).
        messages.warning(request, _answered_meanwhile(assignment))
        return _back_to_work(request.user)
    obj = get_request_for_user(request, assignment.request.uuid, action=AccessAction.UPDATE)
    step = STEPS[answer]
    form = step.form(request.POST) if step.form else None
    try:
        if form is not None and not form.is_valid():
            raise WorkflowError(_("Tell why the proposal is declined."))
        step.take(assignment, by=request.user, data=form.cleaned_data if form else None)
        messages.success(request, ANSWERS[answer])
    except WorkflowError as error:
        messages.error(request, error.message)
    if not policies.can_manage_pool(request.user):
        return redirect("guardianship:my_assignments")
    return redirect(obj)


@allowed_if(policies.has_cases)
def my_assignments(request):
    guardian = Guardian.objects.filter(user=request.user).first()
    assignments = []
    if guardian is not None:
        # Proposed and serving, and the ended cases a fee may still be claimed for
        # (shown with only what the claim needs: policies.GUARDIAN_FIELDS[ENDED]).
        assignments = list(
            Assignment.objects.filter(guardian=guardian)
            .filter(Q(status__in=Assignment.VISIBLE_TO_GUARDIAN) | policies.former_cases())
            # Who proposed: the coordinator a proposed guardian asks (the proposal card).
            .select_related("request", "request__organisation", "proposed_by")
            .prefetch_related(_children_prefetch("request__"))
            # The custodians in the same query (a subquery), as on the request's page.
            .annotate(custodian_rows=custodian_rows("request_id"))
            .order_by("status", "-proposed_at")[:100]
        )
        for a in assignments:
            a.request.custodian_rows = a.custodian_rows
            a.answer_by = casefile.answer_by(a)
        log_list(
            request,
            [a.request for a in assignments],
            basis={a.request_id: policies.GUARDIAN_BASIS[a.status] for a in assignments},
        )
    return render(
        request,
        "guardianship/my_assignments.html",
        {
            "guardian": guardian,
            "proposals": [a for a in assignments if a.status == AssignmentStatus.PROPOSED],
            "active": [a for a in assignments if a.status == AssignmentStatus.ACTIVE],
            "ended": [a for a in assignments if a.status == AssignmentStatus.ENDED],
            "proposed_visible": policies.GUARDIAN_FIELDS[policies.PROPOSED],
            "ended_visible": policies.GUARDIAN_FIELDS[policies.ENDED],
            "reason_form": ReasonForm(),
        },
    )


@allowed_if(policies.can_manage_pool)
def guardian_list(request):
    form = GuardianFilterForm(request.GET or None)
    guardians = (
        Guardian.objects.only(
            "uuid",
            "first_name",
            "last_name",
            "background",
            "languages",
            "capacity",
            "availability",
            "paused_until",
        )
        .with_load()
        .with_trainings_done()
        # The areas' ids, named from memory (listing.describe_guardians): a prefetch
        # was a query and a model per area on every page of the pool (issue 18).
        .annotate(
            area_ids=ArraySubquery(
                Guardian.areas.through.objects.filter(guardian=OuterRef("pk")).values(
                    "organisation_id"
                )
            )
        )
    )
    guardians = form.filter(guardians)
    page = Paginator(guardians.order_by("last_name", "first_name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = list(page.object_list)
    listing.describe_guardians(shown)
    return render(
        request,
        "guardianship/guardian_list.html",
        {
            "form": form,
            "page_obj": page,
            "guardians": shown,
            "guardian_rows": render_rows(
                "guardianship/includes/guardian_rows.jinja",
                # Translated here: makemessages reads no .jinja file (common/jinja2.py).
                {"guardians": shown, "full_label": _("full")},
            ),
        },
    )


@allowed_if(policies.can_manage_pool)
def guardian_detail(request, uuid):
    guardian = get_object_or_404(
        Guardian.objects.with_load()
        .prefetch_related(
            "areas",
            "trainings",
        )
        .select_related("user"),
        uuid=uuid,
    )
    assignments = list(
        guardian.assignments.select_related("request", "request__organisation").order_by(
            "-proposed_at"
        )[:200]
    )
    return render(
        request,
        "guardianship/guardian_detail.html",
        {
            "guardian": guardian,
            "assignments": assignments,
        },
    )


@allowed_if(policies.can_manage_pool)
def guardian_edit(request, uuid=None):
    guardian = get_object_or_404(Guardian, uuid=uuid) if uuid else None
    form = GuardianForm(request.POST or None, instance=guardian)
    if request.method == "POST" and form.is_valid():
        try:
            guardian = form.save()
        except EditConflict as conflict:
            # Saved by someone else since this form was loaded: shown again with their
            # version, nothing overwritten (issue 16, part 5).
            form.show_conflict(conflict.current)
        else:
            messages.success(request, _("The guardian's details were saved."))
            return redirect(guardian)
    return render(request, "guardianship/guardian_form.html", {"form": form, "guardian": guardian})


@allowed_if(policies.can_see_access_report)
def child_access_report(request, uuid):
    """Who handled this child's data and when: the right of access (703/2023, section 11).
    `?format=csv` downloads it; `?format=print` is the page to hand to the client. Both
    are exports, logged as such."""
    child = get_object_or_404(
        Child.objects.select_related("request__organisation", "request__payer"), uuid=uuid
    )
    get_request_for_user(request, child.request.uuid, log=False)
    fmt = request.GET.get("format")
    log_access(
        request,
        AccessAction.EXPORT if fmt in ("csv", "print") else AccessAction.VIEW,
        children=[child],
        basis=policies.access_basis(request.user, child.request),
    )
    entries = access_report.entries_for(child)
    if fmt == "csv":
        return csv_response(
            "kasittelyloki.csv",
            access_report.csv_header(),
            access_report.csv_rows(entries.iterator()),
        )
    if fmt == "print":
        described = access_report.describe(entries)
        return render(
            request,
            "guardianship/access_report_print.html",
            {
                "child": child,
                "entries": described,
                "entry_rows": access_report.rows_html(described),
                "today": timezone.localdate(),
                "controller": access_report.controller(child.request),
            },
        )
    # No count of every row, nor a sort of them all: a child on lists for years has tens
    # of thousands (issue 18).
    page = access_report.page_of_entries(child, request.GET.get("page"), 100)
    described = access_report.describe(page.object_list)
    return render(
        request,
        "guardianship/access_report.html",
        {
            "child": child,
            "page_obj": page,
            "entries": described,
            "entry_rows": access_report.rows_html(described),
        },
    )


# The request's papers (issue 14, part 3): the consent form and the documents -------------


def _documents_context(request, obj):
    """The documents section of a request's page: the documents the user may read, the
    upload form with the kinds they may add, and the consent form's link."""
    user = request.user
    kinds = policies.document_kinds_to_upload(user, obj)
    context = {
        "can_print_consent": policies.can_print_consent(user, obj),
        "document_form": DocumentForm(guardianship_request=obj, kinds=kinds) if kinds else None,
        "documents": None,
    }
    if policies.can_see_documents(user, obj):
        shown = list(policies.documents_for(user, obj).select_related("uploaded_by"))
        deletable = policies.deletable_documents(user, obj, shown)
        for document in shown:
            document.deletable = document.pk in deletable
        context["documents"] = shown
    return context


def _consent_queryset():
    return GuardianshipRequest.objects.select_related("organisation").prefetch_related(
        _children_prefetch(),
        "tracks",
        Prefetch("assignments", queryset=Assignment.objects.select_related("guardian")),
    )


@allowed_if(policies.can_see_requests)
def request_consent(request, uuid):
    """The guardian's consent (suostumus) to print and sign, filled in from the request:
    the guardian, the children by name with the masked identity code (never the full one)
    or date of birth, the matter, the legal tracks and their law, the court. A VIEW of
    the children in the access log; to anyone else, 404 and a refused row."""
    obj = get_request_for_user(request, uuid, queryset=_consent_queryset(), log=False)
    if not policies.can_print_consent(request.user, obj):
        raise AccessRefused(obj, AccessAction.VIEW)
    log_access(
        request,
        AccessAction.VIEW,
        guardianship_request=obj,
        children=obj.children.all(),
        basis=policies.access_basis(request.user, obj),
    )
    visible = policies.request_fields(request.user, obj)
    tracks = list(obj.tracks.all())
    current = policies.current_of(obj)
    return render(
        request,
        "guardianship/consent_print.html",
        {
            "object": obj,
            "visible": visible,
            "guardian": current.guardian if current else None,
            "children": documents.consent_children(obj.children.all(), visible),
            # A proposed guardian's form names the children as their phase allows: it is
            # complete once they have consented (policies.GUARDIAN_FIELDS).
            "preview": "child_last_names" not in visible,
            "tracks": obj.track_names,
            "statements": documents.consent_statements(tracks, len(obj.children.all())),
            "court": obj.court or obj.default_court,
            "today": timezone.localdate(),
        },
    )


@require_POST
@allowed_if(policies.can_see_requests)
def document_upload(request, uuid):
    """A document added to the request; the form's errors are shown on the request's
    page next to the field. Logged as a CREATE of the children's data."""
    obj = get_request_for_user(request, uuid, action=AccessAction.CREATE, log=False)
    kinds = policies.document_kinds_to_upload(request.user, obj)
    if not kinds:
        raise AccessRefused(obj, AccessAction.CREATE)
    form = DocumentForm(request.POST, request.FILES, guardianship_request=obj, kinds=kinds)
    if form.is_valid():
        try:
            document = documents.upload_document(
                obj,
                by=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
            return redirect(obj)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            log_access(
                request,
                AccessAction.CREATE,
                guardianship_request=obj,
                children=obj.children.all(),
                basis=policies.access_basis(request.user, obj),
            )
            messages.success(
                request,
                _("The document was added: %(kind)s.") % {"kind": document.get_kind_display()},
            )
            return redirect(f"{obj.get_absolute_url()}#documents")
    return _request_page(request, obj.uuid, bound={"document_form": form})


def _get_document(request, uuid, document, action):
    """(request, document) if the user may read the document (policies.documents_for);
    a document of the request they may not read is a refused look, logged."""
    obj = get_request_for_user(request, uuid, action=action, log=False)
    found = policies.documents_for(request.user, obj).filter(uuid=document).first()
    if found is None:
        if RequestDocument.objects.filter(request=obj, uuid=document).exists():
            raise AccessRefused(obj, action)
        raise Http404
    return obj, found


@allowed_if(policies.can_see_requests)
def document_download(request, uuid, document):
    """A document's file, never served as a static file: only through this check, as an
    attachment named by its kind and the request's reference. A VIEW of the children."""
    obj, found = _get_document(request, uuid, document, AccessAction.VIEW)
    if not found.file:
        raise Http404  # deleted by retention
    log_access(
        request,
        AccessAction.VIEW,
        guardianship_request=obj,
        children=obj.children.all(),
        basis=policies.access_basis(request.user, obj),
    )
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.download_name(obj.reference),
        content_type=found.content_type,
    )


@require_POST
@allowed_if(policies.can_see_requests)
def document_delete(request, uuid, document):
    """A document uploaded by mistake deleted by its uploader or a coordinator while the
    request is open; an UPDATE of the children's data in the access log."""
    obj, found = _get_document(request, uuid, document, AccessAction.UPDATE)
    try:
        documents.delete_document(found, by=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        log_access(
            request,
            AccessAction.UPDATE,
            guardianship_request=obj,
            children=obj.children.all(),
            basis=policies.access_basis(request.user, obj),
        )
        messages.success(request, _("The document was deleted."))
    return redirect(f"{obj.get_absolute_url()}#documents")
