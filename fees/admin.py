from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fees.models import ClaimExpense, ContactEntry, FeeClaim, FeeRate, Payee
from guardianship.admin import AccessLoggedAdmin, AccessLoggedEventAdmin


class ReceiptThroughThePortal:
    """The receipt is not a form field here: a file widget would link the storage's own
    URL (none for private object storage, an unserved path for local files) and a file
    chosen here would skip the check of its bytes. It is linked to the portal's
    permission-checked, access-logged download instead."""

    exclude = ("receipt",)

    @admin.display(description=_("receipt"))
    def receipt_download(self, obj):
        if obj is None or not obj.pk or not obj.receipt:
            return "–"
        url = reverse("fees:claim_receipt", kwargs={"uuid": obj.claim.uuid, "expense": obj.uuid})
        return format_html('<a href="{}">{}</a>', url, _("Download the receipt"))


class ClaimExpenseInline(ReceiptThroughThePortal, admin.TabularInline):
    model = ClaimExpense
    extra = 0
    readonly_fields = ("uuid", "receipt_download")


# A claim names its request's children (the admin shows them through the assignment):
# its pages are access-logged like the request's.
@admin.register(FeeClaim)
class FeeClaimAdmin(AccessLoggedAdmin):
    children_via = ("request__assignments", "assignment_id")
    list_display = (
        "reference",
        "assignment",
        "period_start",
        "period_end",
        "fee",
        "status",
        "paid_at",
    )
    list_filter = ("status",)
    search_fields = ("uuid", "assignment__guardian__last_name", "payment_reference")
    list_select_related = ("assignment__guardian", "assignment__request")
    autocomplete_fields = ("assignment", "decided_by")
    # The payment is the payer's own record, made on their page (fees.services.mark_paid).
    readonly_fields = ("uuid", "paid_at", "payment_reference", "paid_by")
    inlines = [ClaimExpenseInline]


@admin.register(ClaimExpense)
class ClaimExpenseAdmin(ReceiptThroughThePortal, AccessLoggedAdmin):
    readonly_fields = ("receipt_download",)
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


@admin.register(FeeRate)
class FeeRateAdmin(admin.ModelAdmin):
    """The fee scale is reference data (issue 15, part 2): a new decision is a new rate
    from its first day, the old one ended the day before (the database refuses two rates
    of one track and payer on the same day). A rate that claims use cannot be deleted."""

    list_display = (
        "track",
        "payer",
        "valid_from",
        "valid_until",
        "hourly_fee",
        "kilometre_allowance",
    )
    list_filter = ("track",)
    list_select_related = ("track", "payer")
    autocomplete_fields = ("payer",)
    search_fields = ("payer__name", "track__name", "source")
    date_hierarchy = "valid_from"


@admin.register(Payee)
class PayeeAdmin(admin.ModelAdmin):
    """The guardians' payee details; the list shows the account masked."""

    list_display = ("guardian", "kind", "name", "masked_iban", "business_id", "vat_registered")
    list_filter = ("kind", "vat_registered")
    list_select_related = ("guardian",)
    search_fields = ("guardian__last_name", "name", "business_id")
    autocomplete_fields = ("guardian",)

    @admin.display(description=_("account (IBAN)"))
    def masked_iban(self, payee):
        return payee.iban_masked


class FeeClaimEventAdmin(AccessLoggedEventAdmin):
    """The change history of claims, read-only (the table is append-only)."""

    children_via = ("request__assignments", "assignment_id")


admin.site.register(FeeClaim.history.rel.related_model, FeeClaimEventAdmin)


class ContactEntryEventAdmin(AccessLoggedEventAdmin):
    """The change history of the contact log, read-only (the table is append-only)."""

    children_via = ("request__assignments", "assignment_id")


admin.site.register(ContactEntry.history.rel.related_model, ContactEntryEventAdmin)
