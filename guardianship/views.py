import uuid as uuidlib

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pghistory.models import Events

from accounts.decorators import role_required
from accounts.roles import Role
from common.display import choice_labels, short_dates, uuid_url
from common.exceptions import WorkflowError
from common.exports import csv_response
from guardianship import listing, services
from guardianship.access import get_request_for_user, log_access, log_list
from guardianship.enums import (
    QUEUE_STATES,
    UNMATCHED_STATES,
    AccessAction,
    AssignmentStatus,
    Availability,
    Background,
    Language,
    State,
)
from guardianship.forms import (
    AppointmentForm,
    ChildFormSet,
    EndForm,
    FileApplicationForm,
    GuardianFilterForm,
    GuardianForm,
    GuardianshipRequestForm,
    NoteForm,
    ProposeForm,
    ReasonForm,
    ReassignForm,
    RequestFilterForm,
)
from guardianship.matching import rank_guardians
from guardianship.models import (
    AccessLog,
    Assignment,
    Child,
    Guardian,
    GuardianshipRequest,
    RequestEvent,
)
from municipalities.models import Organisation

PAGE_SIZE = 50
CHILD_DATA_ROLES = (Role.COORDINATOR, Role.SOCIAL_WORKER, Role.GUARDIAN)


def _children_prefetch():
    return Prefetch("children", queryset=Child.objects.select_related("home_municipality"))


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
)


def _list_children_prefetch():
    # Ordered by id alone: the model's ordering would join the requests again.
    return Prefetch(
        "children",
        queryset=Child.objects.only("request_id", "first_name", "last_name").order_by("id"),
    )


def filtered_requests(user, data):
    """The user's requests narrowed by the filter form; (form, queryset)."""
    form = RequestFilterForm(data or None)
    requests = (
        GuardianshipRequest.objects.for_user(user)
        .select_related("organisation")
        .only(*LIST_FIELDS)
        .prefetch_related(_list_children_prefetch())
    )
    if form.is_bound and not form.is_valid():
        return form, requests.none()
    filters = form.cleaned_data if form.is_bound else {}
    state = filters.get("state", "")
    if state == "":
        requests = requests.filter(state__in=QUEUE_STATES)
    elif state != "all":
        requests = requests.filter(state=state)
    if filters.get("municipality"):
        requests = requests.filter(
            Exists(
                Child.objects.filter(
                    request=OuterRef("pk"), home_municipality=filters["municipality"]
                )
            )
        )
    if filters.get("matter"):
        requests = requests.filter(matter=filters["matter"])
    if filters.get("language"):
        requests = requests.filter(
            Exists(Child.objects.filter(request=OuterRef("pk"), language=filters["language"]))
        )
    if text := filters.get("q", "").strip():
        requests = requests.filter(
            Exists(
                Child.objects.filter(request=OuterRef("pk")).filter(
                    Q(first_name__icontains=text) | Q(last_name__icontains=text)
                )
            )
            | Q(case_number__icontains=text)
            | Q(worker_name__icontains=text)
        )
    # The queue: urgent first, then the longest waiting.
    # "urgent" sorts after "normal", so descending puts urgent requests first.
    requests = requests.order_by("-urgency", "submitted_at", "pk")
    return form, requests


def _flag_unmatched(requests):
    limit = timezone.now() - timezone.timedelta(days=settings.GUARDIANSHIP_UNMATCHED_DAYS)
    for r in requests:
        r.waiting_too_long = (
            r.state in UNMATCHED_STATES and r.submitted_at is not None and r.submitted_at < limit
        )


@role_required(*CHILD_DATA_ROLES)
def request_list(request):
    form, requests = filtered_requests(request.user, request.GET)
    page = listing.request_rows(requests, request.GET.get("page"), PAGE_SIZE)
    rows = page.object_list
    _flag_unmatched(rows)
    listing.describe(rows)
    children = [child for row in rows for child in row.children]
    if children:
        log_access(request, AccessAction.LIST, children=children)
    return render(
        request,
        "guardianship/request_list.html",
        {
            "form": form,
            "page_obj": page,
            "requests": rows,
            "unmatched_days": settings.GUARDIANSHIP_UNMATCHED_DAYS,
        },
    )


@role_required(Role.COORDINATOR)
def request_export(request):
    """The filtered queue as CSV for reporting; no identity codes, access-logged."""
    form, requests = filtered_requests(request.user, request.GET)
    requests = list(requests[:10000])
    log_list(request, requests, action=AccessAction.EXPORT)
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
            r.get_state_display(),
            r.organisation.display_name,
            r.get_matter_display(),
            r.get_urgency_display(),
            timezone.localtime(r.submitted_at).strftime("%d.%m.%Y") if r.submitted_at else "",
            len(r.children.all()),
        ]
        for r in requests
    )
    return csv_response("pyynnot.csv", header, rows)


def _request_forms(http_request, instance=None):
    data = http_request.POST if http_request.method == "POST" else None
    form = GuardianshipRequestForm(
        data,
        instance=instance,
        user=http_request.user,
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
    formset = ChildFormSet(data, instance=instance or GuardianshipRequest(), prefix="children")
    return form, formset


@role_required(Role.SOCIAL_WORKER)
def request_create(request):
    form, formset = _request_forms(request)
    if request.method == "POST":
        try:
            key = uuidlib.UUID(request.POST.get("idempotency_key", ""))
        except ValueError:
            key = None
        existing = (
            key
            and GuardianshipRequest.objects.filter(
                idempotency_key=key, created_by=request.user
            ).first()
        )
        if existing:
            # A double post of the same form: show the request the first post created.
            return redirect(existing)
        if form.is_valid() and formset.is_valid():
            try:
                created = _save_request(request, form, formset)
            except IntegrityError:
                existing = GuardianshipRequest.objects.filter(
                    idempotency_key=key, created_by=request.user
                ).first()
                if existing is not None:
                    return redirect(existing)
                # Someone else's form key (or another conflict): keep what was typed,
                # give the form a fresh key and ask to send it again.
                form.data = form.data.copy()
                form.data["idempotency_key"] = str(uuidlib.uuid4())
                form.add_error(None, _("The request could not be saved. Please send it again."))
            else:
                return redirect(created)
    return render(request, "guardianship/request_form.html", {"form": form, "formset": formset})


def _save_request(http_request, form, formset):
    submit = "submit" in http_request.POST
    with transaction.atomic():
        obj = form.save(commit=False)
        is_new = obj.pk is None
        if is_new:
            obj.created_by = http_request.user
            obj.idempotency_key = form.cleaned_data["idempotency_key"]
        obj.save()
        formset.instance = obj
        formset.save()
        log_access(
            http_request,
            AccessAction.CREATE if is_new else AccessAction.UPDATE,
            children=obj.children.all(),
        )
        if submit:
            services.submit_request(obj, by=http_request.user)
            messages.success(http_request, _("The request was sent to Pikassos."))
        else:
            messages.success(http_request, _("The draft was saved. You can submit it later."))
    return obj


@role_required(Role.SOCIAL_WORKER)
def request_edit(request, uuid):
    obj = get_request_for_user(request, uuid, action=AccessAction.UPDATE)
    if obj.state != State.DRAFT:
        messages.error(request, _("Only a draft can be edited."))
        return redirect(obj)
    form, formset = _request_forms(request, instance=obj)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        return redirect(_save_request(request, form, formset))
    return render(
        request, "guardianship/request_form.html", {"form": form, "formset": formset, "object": obj}
    )


@role_required(*CHILD_DATA_ROLES)
def request_detail(request, uuid):
    queryset = GuardianshipRequest.objects.select_related(
        "organisation", "payer", "created_by", "sibling_request"
    ).prefetch_related(
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
    steps = services.allowed_steps(obj, request.user)
    context = {
        "history": history_of(obj),
        "object": obj,
        "children": obj.children.all(),
        "assignments": obj.assignments.all(),
        "events": obj.events.all(),
        "steps": steps,
        "note_form": NoteForm(),
        "reason_form": ReasonForm(),
        "file_form": FileApplicationForm(),
        "appointment_form": AppointmentForm(initial={"court": obj.court}),
        "end_form": EndForm(initial={"ended_on": timezone.localdate()}),
        "current": next(
            (
                a
                for a in obj.assignments.all()
                if a.status in (AssignmentStatus.PROPOSED, AssignmentStatus.ACTIVE)
            ),
            None,
        ),
    }
    return render(request, "guardianship/request_detail.html", context)


HIDDEN_HISTORY_FIELDS = {"updated_at", "state_changed_at"}


def history_of(obj, limit=200):
    """The database-recorded changes of a request (django-pghistory), oldest first."""
    rows = []
    for event in Events.objects.tracks(obj).order_by("pgh_created_at", "pgh_id")[:limit]:
        diff = {k: v for k, v in (event.pgh_diff or {}).items() if k not in HIDDEN_HISTORY_FIELDS}
        rows.append(
            {
                "at": event.pgh_created_at,
                "label": event.pgh_label,
                "changes": sorted(diff.items()),
                "user": (event.pgh_context or {}).get("user"),
            }
        )
    return rows


STEP_FORMS = {
    "file_application": FileApplicationForm,
    "record_appointment": AppointmentForm,
    "end": EndForm,
    "cancel": ReasonForm,
    "withdraw": None,
    "start_search": None,
    "submit": None,
    "propose": ProposeForm,
    "reassign": ReassignForm,
}


@require_POST
@role_required(*CHILD_DATA_ROLES)
def request_step(request, uuid, step):
    if step not in STEP_FORMS:
        raise Http404
    obj = get_request_for_user(request, uuid, action=AccessAction.UPDATE)
    form_class = STEP_FORMS[step]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(obj)
    data = form.cleaned_data if form else {}
    by = request.user
    try:
        if step == "file_application":
            services.file_application(obj, by=by, court=data["court"], filed_on=data["filed_on"])
        elif step == "record_appointment":
            services.record_appointment(
                obj,
                by=by,
                court=data["court"],
                decision_date=data["decision_date"],
                case_number=data["case_number"],
            )
        elif step == "end":
            services.end_request(obj, by=by, ended_on=data["ended_on"], reason=data["reason"])
        elif step == "cancel":
            services.cancel_request(obj, by=by, reason=data["reason"])
        elif step == "withdraw":
            services.withdraw_proposal(obj, by=by)
        elif step == "start_search":
            services.start_search(obj, by=by)
        elif step == "submit":
            services.submit_request(obj, by=by)
        elif step == "propose":
            services.propose_guardian(obj, data["guardian"], by=by, text=data["text"])
        elif step == "reassign":
            services.reassign_guardian(obj, data["guardian"], by=by, reason=data["reason"])
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved: %(step)s.") % {"step": services.STEPS[step].label})
    return redirect(obj)


@require_POST
@role_required(*CHILD_DATA_ROLES)
def request_note(request, uuid):
    obj = get_request_for_user(request, uuid, action=AccessAction.UPDATE)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(obj, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("The note was added."))
    else:
        messages.error(request, _("The note is empty or too long."))
    return redirect(obj)


@role_required(Role.COORDINATOR)
def request_matching(request, uuid):
    queryset = GuardianshipRequest.objects.prefetch_related(_children_prefetch())
    obj = get_request_for_user(request, uuid, queryset=queryset)
    candidates = (
        rank_guardians(obj)
        if obj.state in (State.RECEIVED, State.SEARCHING)
        or (obj.state in services.STEPS["reassign"].from_states)
        else []
    )
    return render(
        request,
        "guardianship/request_matching.html",
        {
            "object": obj,
            "candidates": candidates,
            "steps": services.allowed_steps(obj, request.user),
        },
    )


@require_POST
@role_required(Role.GUARDIAN, Role.COORDINATOR)
def assignment_respond(request, uuid, answer):
    assignment = get_object_or_404(Assignment.objects.select_related("request"), uuid=uuid)
    obj = get_request_for_user(request, assignment.request.uuid, action=AccessAction.UPDATE)
    try:
        if answer == "accept":
            services.accept_proposal(assignment, by=request.user)
            messages.success(request, _("Thank you. Your consent was recorded."))
        elif answer == "decline":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise WorkflowError(_("Tell why the proposal is declined."))
            services.decline_proposal(
                assignment, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The proposal was declined."))
        else:
            raise Http404
    except WorkflowError as error:
        messages.error(request, error.message)
    if request.user.has_role(Role.GUARDIAN) and not request.user.has_role(Role.COORDINATOR):
        return redirect("guardianship:my_assignments")
    return redirect(obj)


@role_required(Role.GUARDIAN)
def my_assignments(request):
    guardian = Guardian.objects.filter(user=request.user).first()
    assignments = []
    if guardian is not None:
        assignments = list(
            Assignment.objects.filter(guardian=guardian, status__in=Assignment.VISIBLE_TO_GUARDIAN)
            .select_related("request", "request__organisation")
            .prefetch_related(
                Prefetch(
                    "request__children", queryset=Child.objects.select_related("home_municipality")
                )
            )
            .order_by("status", "-proposed_at")[:100]
        )
        log_list(request, [a.request for a in assignments])
    return render(
        request,
        "guardianship/my_assignments.html",
        {
            "guardian": guardian,
            "proposals": [a for a in assignments if a.status == AssignmentStatus.PROPOSED],
            "active": [a for a in assignments if a.status == AssignmentStatus.ACTIVE],
            "ended": [a for a in assignments if a.status == AssignmentStatus.ENDED],
            "reason_form": ReasonForm(),
        },
    )


@role_required(Role.COORDINATOR)
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
        .prefetch_related(Prefetch("areas", queryset=Organisation.objects.only("name", "name_sv")))
    )
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            if data["q"]:
                guardians = guardians.filter(
                    Q(first_name__icontains=data["q"]) | Q(last_name__icontains=data["q"])
                )
            if data["language"]:
                guardians = guardians.filter(languages__contains=[data["language"]])
            if data["area"]:
                guardians = guardians.filter(areas=data["area"])
            if data["availability"] == Availability.ACTIVE:
                # A pause that has already ended counts as active, as in matching.
                guardians = guardians.available()
            elif data["availability"] == Availability.PAUSED:
                guardians = guardians.filter(
                    availability=Availability.PAUSED, paused_until__gte=timezone.localdate()
                )
            elif data["availability"]:
                guardians = guardians.filter(availability=data["availability"])
        else:
            guardians = guardians.none()
    page = Paginator(guardians.order_by("last_name", "first_name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = list(page.object_list)
    _prepare_guardian_rows(shown)
    return render(
        request,
        "guardianship/guardian_list.html",
        {"form": form, "page_obj": page, "guardians": shown},
    )


def _prepare_guardian_rows(guardians):
    backgrounds = choice_labels(Background.choices)
    languages = choice_labels(Language.choices)
    availabilities = choice_labels(Availability.choices)
    url = uuid_url("guardianship:guardian_detail")
    short_date = short_dates()
    for g in guardians:
        g.url = url(g.uuid)
        g.background_label = backgrounds.get(g.background, g.background)
        g.languages_label = ", ".join(languages.get(code, code) for code in g.languages)
        g.areas_names = ", ".join(a.display_name for a in g.areas.all())
        # Plain text: the template would localise each number on its own.
        g.load_text = f"{g.load} / {g.capacity}"
        g.full = g.load >= g.capacity
        g.availability_label = availabilities.get(g.availability, g.availability)
        if g.availability == Availability.PAUSED:
            g.availability_label += f" ({_('until')} {short_date(g.paused_until)})"


@role_required(Role.COORDINATOR)
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


@role_required(Role.COORDINATOR)
def guardian_edit(request, uuid=None):
    guardian = get_object_or_404(Guardian, uuid=uuid) if uuid else None
    form = GuardianForm(request.POST or None, instance=guardian)
    if request.method == "POST" and form.is_valid():
        guardian = form.save()
        messages.success(request, _("The guardian's details were saved."))
        return redirect(guardian)
    return render(request, "guardianship/guardian_form.html", {"form": form, "guardian": guardian})


@role_required(Role.COORDINATOR)
def child_access_report(request, uuid):
    """Who handled this child's data and when: the right of access (703/2023)."""
    child = get_object_or_404(Child.objects.select_related("request"), uuid=uuid)
    get_request_for_user(request, child.request.uuid, log=False)
    entries = AccessLog.objects.filter(
        Q(child=child) | Q(request=child.request, child__isnull=True)
    ).order_by("at", "id")
    log_access(
        request,
        AccessAction.EXPORT if request.GET.get("format") == "csv" else AccessAction.VIEW,
        children=[child],
    )
    if request.GET.get("format") == "csv":
        header = [_("Time"), _("User"), _("Role"), _("Action"), _("Outcome")]
        rows = (
            [
                timezone.localtime(e.at).strftime("%d.%m.%Y %H:%M:%S"),
                e.username,
                e.role,
                e.get_action_display(),
                e.get_outcome_display(),
            ]
            for e in entries.iterator()
        )
        return csv_response("kasittelyloki.csv", header, rows)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "guardianship/access_report.html",
        {"child": child, "page_obj": page, "entries": page.object_list},
    )
