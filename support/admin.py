from django.contrib import admin

from support.models import SupportContact, TrainingEvent, TrainingSignup


@admin.register(SupportContact)
class SupportContactAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "guardian", "request", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("guardian__last_name", "notes")
    list_select_related = ("guardian", "request", "recorded_by")
    autocomplete_fields = ("guardian", "request", "recorded_by")


class TrainingSignupInline(admin.TabularInline):
    model = TrainingSignup
    extra = 0
    autocomplete_fields = ("guardian",)


@admin.register(TrainingEvent)
class TrainingEventAdmin(admin.ModelAdmin):
    list_display = ("title", "starts_at", "place", "capacity")
    search_fields = ("title", "place")
    date_hierarchy = "starts_at"
    inlines = [TrainingSignupInline]


@admin.register(TrainingSignup)
class TrainingSignupAdmin(admin.ModelAdmin):
    list_display = ("event", "guardian", "signed_up_at", "attended")
    list_filter = ("attended",)
    search_fields = ("event__title", "guardian__last_name")
    list_select_related = ("event", "guardian")
    autocomplete_fields = ("event", "guardian")
