from django.contrib import admin
from pghistory.admin import EventModelAdmin

from municipalities.models import (
    ContactPerson,
    Membership,
    Organisation,
    PreparednessMeasure,
    ServiceOffering,
    ServiceType,
    Unit,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "member"
    extra = 0
    autocomplete_fields = ("authority",)


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "code", "valid_from", "valid_to", "successor")
    list_filter = ("kind",)
    search_fields = ("name", "name_sv", "short_name", "code", "slug")
    list_select_related = ("successor",)
    autocomplete_fields = ("successor", "area", "owners")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline, ContactPersonInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("member", "authority", "valid_from", "valid_to", "is_host", "confidence")
    list_filter = ("authority", "confidence")
    search_fields = ("member__name", "authority__name", "authority__short_name")
    list_select_related = ("member", "authority")
    autocomplete_fields = ("member", "authority")


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "name_sv", "name_en", "code", "order")
    search_fields = ("name", "name_sv", "name_en", "code")


@admin.register(ServiceOffering)
class ServiceOfferingAdmin(admin.ModelAdmin):
    list_display = ("provider", "service", "walk_in_reception", "remote_appointments")
    list_filter = ("service", "walk_in_reception", "remote_appointments")
    search_fields = ("provider__name", "service__name")
    list_select_related = ("provider", "service")
    autocomplete_fields = ("provider", "service", "municipalities")


@admin.register(PreparednessMeasure)
class PreparednessMeasureAdmin(admin.ModelAdmin):
    list_display = ("title", "provider", "recorded_on")
    search_fields = ("title", "provider__name")
    list_select_related = ("provider",)
    autocomplete_fields = ("provider",)


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "organisation", "email", "phone")
    search_fields = ("name", "title", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """The county's units: teams, their municipalities and members (README, "Units")."""

    list_display = ("name", "kind", "parent", "organisation")
    list_filter = ("kind", "organisation")
    search_fields = ("name", "name_sv", "organisation__name")
    list_select_related = ("parent", "organisation")
    autocomplete_fields = ("organisation", "parent", "municipalities", "members")


for event_model in (
    Unit.history.rel.related_model,
    Organisation.history.rel.related_model,
    Membership.history.rel.related_model,
):
    admin.site.register(event_model, EventModelAdmin)
