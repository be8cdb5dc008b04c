from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from development.models import (
    Bulletin,
    Network,
    NetworkContact,
    NetworkMeeting,
    ProjectIdea,
    ProjectIdeaStep,
    PublishedAnswer,
    Question,
    Subscriber,
)

# The bulletin (issue 19, part 5) -------------------------------------------------------


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Read-only, and no addresses in the list: subscribing, confirming and unsubscribing
    happen by the subscriber's own links. An admin finds one subscription by its exact
    address (to answer the person's question about it) and may delete it on request."""

    list_display = ("__str__", "status_display", "language", "confirmed_at", "unsubscribed_at")
    list_filter = ("language",)
    search_fields = ("=email",)
    fields = (
        "uuid",
        "email",
        "language",
        "consent_text_version",
        "consent_language",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    )
    readonly_fields = fields

    @admin.display(description=_("status"))
    def status_display(self, obj):
        return obj.status_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    """Composed and sent in the portal (sending locks and queues); the admin looks."""

    list_display = ("__str__", "sent_at", "recipient_count", "created_at")
    raw_id_fields = ("news_items", "events", "created_by", "sent_by")
    readonly_fields = ("uuid", "created_at", "updated_at", "sent_at", "sent_by", "recipient_count")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The question desk ---------------------------------------------------------------------


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """The queue is handled in the portal (its steps lock and e-mail); the admin corrects."""

    list_display = ("__str__", "status", "topic", "assigned_to", "created_at")
    list_filter = ("status", "topic")
    search_fields = ("organisation_name", "contact_name", "text")
    raw_id_fields = ("asked_by", "assigned_to", "answered_by", "organisation", "project")
    readonly_fields = ("uuid", "created_at", "updated_at", "answered_at", "closed_at")


@admin.register(PublishedAnswer)
class PublishedAnswerAdmin(admin.ModelAdmin):
    list_display = ("__str__", "topic", "published_at", "withdrawn_at")
    list_filter = ("topic",)
    search_fields = ("question", "answer", "question_sv", "answer_sv")
    raw_id_fields = ("source", "published_by")
    readonly_fields = ("uuid", "created_at", "updated_at")


# Project planning and networks (issue 19, parts 3 and 4) ----------------------------------


class ProjectIdeaStepInline(admin.TabularInline):
    model = ProjectIdeaStep
    extra = 0
    fields = ("from_state", "to_state", "by", "at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProjectIdea)
class ProjectIdeaAdmin(admin.ModelAdmin):
    """Ideas move in the portal (its steps lock and record who); the admin corrects."""

    list_display = ("name", "state", "call", "call_deadline", "planner")
    list_filter = ("state",)
    search_fields = ("name", "call", "description")
    raw_id_fields = ("funder", "planner", "project", "created_by")
    filter_horizontal = ("partners", "themes")
    readonly_fields = ("uuid", "created_at", "updated_at")
    inlines = [ProjectIdeaStepInline]


class NetworkContactInline(admin.StackedInline):
    model = NetworkContact
    extra = 0
    raw_id_fields = ("organisation", "added_by")
    readonly_fields = ("uuid",)


class NetworkMeetingInline(admin.TabularInline):
    model = NetworkMeeting
    extra = 0
    raw_id_fields = ("event",)


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ("name", "is_public")
    list_filter = ("is_public",)
    search_fields = ("name", "name_sv")
    filter_horizontal = ("members",)
    readonly_fields = ("uuid", "created_at", "updated_at")
    inlines = [NetworkContactInline, NetworkMeetingInline]
