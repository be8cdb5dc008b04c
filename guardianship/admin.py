from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext_lazy as _
from pghistory.admin import EventModelAdmin

from guardianship.access import log_access
from guardianship.enums import AccessAction, AccessBasis, ApplicantKind, EndCondition
from guardianship.models import (
    AccessLog,
    Assignment,
    Child,
    Custodian,
    Guardian,
    GuardianshipRequest,
    GuardianTraining,
    LegalTrack,
    RequestDocument,
    RequestEvent,
    RequestTrack,
)


class AccessLoggedAdmin(admin.ModelAdmin):
    """Admin pages that show children's data are written to the access log like the
    portal's, on the administrator's basis: the list (search results included, LIST), an
    object's page (GET VIEW, POST UPDATE), its history and its delete confirmation (VIEW;
    the deletion itself UPDATE, written first), a new object (CREATE) and the
    autocomplete answers of other admin pages' fields (LIST).

    `children_via` is (the path from Child to this admin's model, the attribute of an
    object that path matches): how the children an object shows are found, in one query
    for a whole page. An admin whose objects are the children overrides `children_of`.
    """

    children_via = ("request", "request_id")

    def children_of(self, objects):
        path, attribute = self.children_via
        keys = {getattr(obj, attribute) for obj in objects} - {None}
        if not keys:
            return []
        found = Child.objects.filter(**{f"{path}__in": keys}).only("pk", "request_id")
        return list({child.pk: child for child in found.order_by("id")}.values())

    def log(self, request, action, objects):
        children = self.children_of(objects)
        if children:
            log_access(request, action, children=children, basis=AccessBasis.ADMIN)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        if context.get("cl") is not None:
            self.log(request, AccessAction.LIST, context["cl"].result_list)
        elif context.get("queryset") is not None:
            # An action's confirmation page (delete selected) lists the objects chosen.
            self.log(request, AccessAction.VIEW, context["queryset"])
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            action = AccessAction.UPDATE if request.method == "POST" else AccessAction.VIEW
            self.log(request, action, [obj])
        return response

    def response_add(self, request, obj, post_url_continue=None):
        self.log(request, AccessAction.CREATE, [obj])
        return super().response_add(request, obj, post_url_continue)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if getattr(response, "context_data", None):
            self.log(request, AccessAction.VIEW, [response.context_data["object"]])
        return response

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and request.method == "POST":
            # Written before the deletion, while the rows it names still exist.
            self.log(request, AccessAction.UPDATE, [obj])
        response = super().delete_view(request, object_id, extra_context)
        if obj is not None and request.method != "POST" and response.status_code == 200:
            self.log(request, AccessAction.VIEW, [obj])
        return response

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            # Another admin page's field searching this model: log the page it answers.
            page_of = paginator.page

            def logged_page(number):
                page = page_of(number)
                page.object_list = list(page.object_list)
                self.log(request, AccessAction.LIST, page.object_list)
                return page

            paginator.page = logged_page
        return paginator


class AccessLoggedEventAdmin(AccessLoggedAdmin, EventModelAdmin):
    """The read-only change history (pghistory) of a model whose objects show children."""


class MaskedIdentityCode:
    """An existing child's identity code shows masked and read-only (issue 13, part 3): the
    admin never shows or changes it in full; the portal's request page shows it on
    purpose, logged. A new child's code can still be typed: nothing is revealed."""

    def get_exclude(self, request, obj=None):
        exclude = super().get_exclude(request, obj) or ()
        return (*exclude, "identity_code") if obj is not None else exclude

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "masked_code") if obj is not None else fields

    @admin.display(description=_("identity code"))
    def masked_code(self, obj):
        return obj.masked_identity_code


class ChildInline(MaskedIdentityCode, admin.StackedInline):
    """On the request's add page its children are typed in full; on its change page they
    are shown with masked codes, and children are added on the child's own add page."""

    model = Child
    extra = 0
    autocomplete_fields = ("home_municipality",)
    readonly_fields = ("uuid", "anonymised_at")

    def has_add_permission(self, request, obj=None):
        return obj is None and super().has_add_permission(request, obj)


class CustodianInline(admin.StackedInline):
    """The custodians of the request, as rows (issue 14, part 4)."""

    model = Custodian
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ("guardian", "status", "proposed_by", "proposed_at", "responded_at", "ended_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    fields = ("at", "kind", "action", "from_state", "to_state", "actor", "text")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyDocumentFields:
    """A request's documents, read-only: they are added through the portal, where the file
    is checked by its bytes, and read only through its permission-checked view (the file
    itself is not linked here: MEDIA_ROOT is never served)."""

    fields = (
        "kind",
        "uploaded_at",
        "uploaded_by",
        "size",
        "content_type",
        "assignment",
        "erased_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RequestDocumentInline(ReadOnlyDocumentFields, admin.TabularInline):
    model = RequestDocument
    extra = 0


class RequestTrackInline(admin.TabularInline):
    """The request's legal tracks: a coordinator corrects the track of a request filed
    before the tracks (all were given the child-welfare track). The payer stays as it is
    unless changed here too."""

    model = RequestTrack
    extra = 0
    min_num = 1


@admin.register(GuardianshipRequest)
class GuardianshipRequestAdmin(AccessLoggedAdmin):
    list_display = ("reference", "state", "organisation", "matter", "urgency", "submitted_at")
    list_filter = ("state", "matter", "urgency", "tracks", "organisation")
    search_fields = ("uuid", "case_number", "worker_name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation", "payer", "created_by", "sibling_request")
    # The state changes only through the workflow's steps (guardianship.steps).
    readonly_fields = ("uuid", "state", "idempotency_key", "submitted_at", "state_changed_at")
    date_hierarchy = "submitted_at"
    show_full_result_count = False

    @admin.display(description=_("Reference"))
    def reference(self, request):
        return request.reference

    inlines = [
        RequestTrackInline,
        ChildInline,
        CustodianInline,
        AssignmentInline,
        RequestEventInline,
        RequestDocumentInline,
    ]

    def children_of(self, objects):
        return [c for r in objects for c in r.children.all()] if objects else []

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("children")


class LegalTrackForm(forms.ModelForm):
    """The lists of a track as boxes to tick, not comma-separated codes."""

    applicant_kinds = forms.MultipleChoiceField(
        label=_("who may apply"),
        choices=ApplicantKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    end_conditions = forms.MultipleChoiceField(
        label=_("when the mandate ends"),
        choices=EndCondition.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = LegalTrack
        fields = [
            "code",
            "name",
            "name_sv",
            "law_reference",
            "sources",
            "applicant_kinds",
            "applicants",
            "applicants_sv",
            "appointing_body",
            "agreed_appointing_body",
            "default_court",
            "payer",
            "end_conditions",
            "records_investigation",
            "order",
            "is_active",
        ]


@admin.register(LegalTrack)
class LegalTrackAdmin(admin.ModelAdmin):
    """The legal tracks are reference data (issue 14): who may apply, which body appoints,
    who pays and when the mandate ends are corrected here, not in code. A track is never
    deleted while a request is on it; untick "can be chosen" to stop offering it."""

    form = LegalTrackForm
    list_display = ("name", "law_reference", "payer", "appointing_body", "order", "is_active")
    list_select_related = ("payer",)
    autocomplete_fields = ("payer",)
    search_fields = ("name", "name_sv", "code", "law_reference")


@admin.register(RequestTrack)
class RequestTrackAdmin(admin.ModelAdmin):
    list_display = ("request", "track")
    list_filter = ("track",)
    list_select_related = ("request", "track")
    autocomplete_fields = ("request",)
    show_full_result_count = False


@admin.register(Child)
class ChildAdmin(MaskedIdentityCode, AccessLoggedAdmin):
    list_display = ("__str__", "masked_code", "home_municipality", "mother_tongue", "request")
    list_filter = ("non_disclosure", "interpreter_needed", "home_municipality")
    # Not by identity code: the admin searches by GET, and a code in a URL lands in the
    # server's access log. The portal's request list searches codes by POST.
    search_fields = ("first_name", "last_name")
    list_select_related = ("home_municipality", "request")
    autocomplete_fields = ("home_municipality", "request")
    readonly_fields = ("uuid", "anonymised_at")
    show_full_result_count = False

    def children_of(self, objects):
        return list(objects)


@admin.register(Custodian)
class CustodianAdmin(AccessLoggedAdmin):
    """The custodians of the requests (issue 14, part 4); a page of them names the
    requests' children, so it is access-logged like theirs."""

    list_display = ("name", "relation", "affected_by_conflict", "non_disclosure", "request")
    list_filter = ("relation", "non_disclosure")
    search_fields = ("name",)
    list_select_related = ("request",)
    autocomplete_fields = ("request",)
    show_full_result_count = False


class GuardianTrainingInline(admin.TabularInline):
    model = GuardianTraining
    extra = 0


@admin.register(Guardian)
class GuardianAdmin(admin.ModelAdmin):
    list_display = ("full_name", "background", "availability", "paused_until", "capacity", "email")
    list_filter = ("availability", "background", "areas")
    search_fields = ("first_name", "last_name", "email")
    list_select_related = ("user",)
    autocomplete_fields = ("user", "areas")
    readonly_fields = ("uuid",)
    inlines = [GuardianTrainingInline]

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, guardian):
        return guardian.full_name


@admin.register(GuardianTraining)
class GuardianTrainingAdmin(admin.ModelAdmin):
    list_display = ("title", "guardian", "completed_on")
    search_fields = ("title", "guardian__last_name")
    list_select_related = ("guardian",)
    autocomplete_fields = ("guardian",)


@admin.register(Assignment)
class AssignmentAdmin(AccessLoggedAdmin):
    list_display = ("guardian", "request", "status", "proposed_at", "responded_at", "ended_at")
    list_filter = ("status",)
    search_fields = ("guardian__last_name", "request__uuid")
    list_select_related = ("guardian", "request")
    autocomplete_fields = ("guardian", "request", "proposed_by")
    readonly_fields = ("uuid",)


@admin.register(RequestEvent)
class RequestEventAdmin(AccessLoggedAdmin):
    list_display = ("request", "kind", "action", "from_state", "to_state", "actor", "at")
    list_filter = ("kind", "action")
    search_fields = ("request__uuid", "actor__username")
    list_select_related = ("request", "actor")

    # The timeline is append-only (the application's role may not change it): steps are
    # taken through the workflow, never edited.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RequestDocument)
class RequestDocumentAdmin(ReadOnlyDocumentFields, AccessLoggedAdmin):
    """The documents of the requests (issue 14, part 3), read-only and access-logged."""

    fields = ("request", *ReadOnlyDocumentFields.fields)
    readonly_fields = fields
    list_display = ("request", "kind", "uploaded_at", "uploaded_by", "size", "erased_at")
    list_filter = ("kind",)
    search_fields = ("request__uuid",)
    list_select_related = ("request", "uploaded_by")
    date_hierarchy = "uploaded_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the table itself refuses UPDATE and DELETE."""

    list_display = ("at", "username", "role", "action", "outcome", "request", "child_numbers")
    list_filter = ("action", "outcome", "role")
    search_fields = ("username", "request__uuid")
    list_select_related = ("request",)
    date_hierarchy = "at"
    show_full_result_count = False

    @admin.display(description=_("children's numbers"))
    def child_numbers(self, row):
        # The numbers only: naming the children would read their data (and log it).
        return ", ".join(map(str, row.children))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The change history of every tracked model, read-only (the tables are append-only); the
# histories of requests, children and assignments name the child and are access-logged.
admin.site.register(Guardian.history.rel.related_model, EventModelAdmin)
for tracked, via in (
    (GuardianshipRequest, ("request", "pgh_obj_id")),
    (Child, ("pk", "pgh_obj_id")),
    (Custodian, ("request", "request_id")),
    (Assignment, ("request", "request_id")),
):
    event_model = tracked.history.rel.related_model
    admin.site.register(
        event_model,
        type(f"{event_model.__name__}Admin", (AccessLoggedEventAdmin,), {"children_via": via}),
    )
# The documents' history (uploads, retention's erasures, deletions) names the request.
admin.site.register(
    RequestDocument.pgh_event_model,
    type(
        "RequestDocumentEventAdmin",
        (AccessLoggedEventAdmin,),
        {"children_via": ("request", "request_id")},
    ),
)
