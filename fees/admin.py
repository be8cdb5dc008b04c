from django.contrib import admin

from fees.models import ClaimExpense, ContactEntry, FeeClaim
from guardianship.admin import AccessLoggedAdmin, AccessLoggedEventAdmin


class ClaimExpenseInline(admin.TabularInline):
    model = ClaimExpense
    extra = 0
    readonly_fields = ("uuid",)


# A claim names its request's children (the admin shows them through the assignment):
# its pages are access-logged like the request's.
@admin.register(FeeClaim)
class FeeClaimAdmin(AccessLoggedAdmin):
    children_via = ("request__assignments", "assignment_id")
    list_display = ("reference", "assignment", "period_start", "period_end", "fee", "status")
    list_filter = ("status",)
    search_fields = ("uuid", "assignment__guardian__last_name")
    list_select_related = ("assignment__guardian", "assignment__request")
    autocomplete_fields = ("assignment", "decided_by")
    readonly_fields = ("uuid",)
    inlines = [ClaimExpenseInline]


@admin.register(ClaimExpense)
class ClaimExpenseAdmin(AccessLoggedAdmin):
    children_via = ("request__assignments__claims", "claim_id")
    list_display = ("description", "amount", "claim")
    search_fields = ("description", "claim__uuid")
    list_select_related = ("claim",)
    autocomplete_fields = ("claim",)


@admin.register(ContactEntry)
class ContactEntryAdmin(AccessLoggedAdmin):
    children_via = ("request__assignments", "assignment_id")
    list_display = ("date", "mode", "minutes", "kilometres", "assignment", "claim")
    list_filter = ("mode",)
    search_fields = ("assignment__uuid", "claim__uuid")
    list_select_related = ("assignment__guardian", "assignment__request", "claim")
    autocomplete_fields = ("assignment", "claim")
    readonly_fields = ("uuid",)


class FeeClaimEventAdmin(AccessLoggedEventAdmin):
    """The change history of claims, read-only (the table is append-only)."""

    children_via = ("request__assignments", "assignment_id")


admin.site.register(FeeClaim.history.rel.related_model, FeeClaimEventAdmin)


class ContactEntryEventAdmin(AccessLoggedEventAdmin):
    """The change history of the contact log, read-only (the table is append-only)."""

    children_via = ("request__assignments", "assignment_id")


admin.site.register(ContactEntry.history.rel.related_model, ContactEntryEventAdmin)
