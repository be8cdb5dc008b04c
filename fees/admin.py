from django.contrib import admin
from pghistory.admin import EventModelAdmin

from fees.models import ClaimExpense, FeeClaim


class ClaimExpenseInline(admin.TabularInline):
    model = ClaimExpense
    extra = 0
    readonly_fields = ("uuid",)


@admin.register(FeeClaim)
class FeeClaimAdmin(admin.ModelAdmin):
    list_display = ("reference", "assignment", "period_start", "period_end", "fee", "status")
    list_filter = ("status",)
    search_fields = ("uuid", "assignment__guardian__last_name")
    list_select_related = ("assignment__guardian", "assignment__request")
    autocomplete_fields = ("assignment", "decided_by")
    readonly_fields = ("uuid",)
    inlines = [ClaimExpenseInline]


@admin.register(ClaimExpense)
class ClaimExpenseAdmin(admin.ModelAdmin):
    list_display = ("description", "amount", "claim")
    search_fields = ("description", "claim__uuid")
    list_select_related = ("claim",)
    autocomplete_fields = ("claim",)


# The change history of claims, read-only (the table is append-only).
admin.site.register(FeeClaim.history.rel.related_model, EventModelAdmin)
