from django.contrib import admin

from projects.models import (
    Event,
    NewsItem,
    Partnership,
    Project,
    ProjectLink,
    ProjectOutput,
    Tag,
    Theme,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "name_sv", "name_en", "slug", "order")
    search_fields = ("name", "name_sv", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}


class PartnershipInline(admin.TabularInline):
    model = Partnership
    extra = 0
    autocomplete_fields = ("organisation",)


class ProjectLinkInline(admin.TabularInline):
    model = ProjectLink
    extra = 0


class ProjectOutputInline(admin.TabularInline):
    model = ProjectOutput
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "acronym",
        "status",
        "pikassos_role",
        "funder",
        "start_date",
        "end_date",
        "is_public",
    )
    list_filter = ("status", "pikassos_role", "is_public", "themes")
    search_fields = ("name", "name_sv", "acronym", "programme", "slug")
    list_select_related = ("funder",)
    autocomplete_fields = ("funder", "themes", "responsible_staff")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [PartnershipInline, ProjectLinkInline, ProjectOutputInline]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("organisation", "project", "role", "contribution")
    list_filter = ("role",)
    search_fields = ("organisation__name", "organisation__short_name", "project__name")
    list_select_related = ("organisation", "project")
    autocomplete_fields = ("organisation", "project")


@admin.register(ProjectLink)
class ProjectLinkAdmin(admin.ModelAdmin):
    list_display = ("title", "url", "project")
    search_fields = ("title", "url", "project__name")
    list_select_related = ("project",)
    autocomplete_fields = ("project",)


@admin.register(ProjectOutput)
class ProjectOutputAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "published_on", "project")
    list_filter = ("kind",)
    search_fields = ("title", "project__name")
    list_select_related = ("project",)
    autocomplete_fields = ("project",)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "ends_at", "organiser", "project", "is_public")
    list_filter = ("kind", "is_public")
    date_hierarchy = "starts_at"
    search_fields = ("title", "place", "organiser__name", "project__name")
    list_select_related = ("organiser", "project")
    autocomplete_fields = ("organiser", "project", "target_organisations", "created_by")
    readonly_fields = ("uuid",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ("title", "published_at", "is_public", "author")
    list_filter = ("is_public", "tags")
    date_hierarchy = "published_at"
    search_fields = ("title", "body")
    list_select_related = ("author",)
    autocomplete_fields = ("tags", "projects", "organisations", "author")
    readonly_fields = ("uuid",)
