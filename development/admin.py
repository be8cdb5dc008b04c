from django.contrib import admin

from development.models import PublishedAnswer, Question


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
