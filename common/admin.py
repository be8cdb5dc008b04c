"""The worker's records in the admin: the job runs, and the e-mail outbox with its log.

django-mailer's own admin shows each e-mail's body and lets it be edited. Bodies may hold
one-time links (password reset, second-factor enrolment), so here the outbox and its log
show only the recipients, the subject, when, the outcome and the server's answer, and
cannot be edited; an admin may send queued or given-up messages now, or delete them.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from mailer import engine
from mailer.models import (
    PRIORITY_DEFERRED,
    RESULT_FAILURE,
    RESULT_SUCCESS,
    Message,
    MessageLog,
)

from common.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["name", "started_at", "finished_at", "ok", "message"]
    list_filter = ["name", "ok"]
    date_hierarchy = "started_at"
    readonly_fields = ["name", "started_at", "finished_at", "ok", "message"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _ReadOnlyMailAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("recipients"))
    def recipients(self, obj):
        return ", ".join(obj.to_addresses or [])

    @admin.display(description=_("subject"))
    def subject(self, obj):
        return obj.subject or ""

    @admin.display(description=_("queued at"), ordering="when_added")
    def queued_at(self, obj):
        return obj.when_added


admin.site.unregister(Message)
admin.site.unregister(MessageLog)


@admin.register(Message)
class OutboxAdmin(_ReadOnlyMailAdmin):
    """The e-mails waiting to be sent."""

    list_display = ["id", "recipients", "subject", "queued_at", "status", "retries"]
    date_hierarchy = "when_added"
    fields = ["recipients", "subject", "queued_at", "status", "retries"]
    readonly_fields = fields
    actions = ["send_now"]

    @admin.display(description=_("status"))
    def status(self, obj):
        if obj.priority != PRIORITY_DEFERRED:
            return _("queued")
        if obj.retry_count >= settings.MAILER_EMAIL_MAX_RETRIES:
            return _("given up")
        return _("failed, to be retried")

    @admin.display(description=_("retries"), ordering="retry_count")
    def retries(self, obj):
        return obj.retry_count

    @admin.action(description=_("Send the selected messages now"))
    def send_now(self, request, queryset):
        engine.send_all(queryset)
        left = queryset.model.objects.filter(pk__in=[m.pk for m in queryset]).count()
        level = messages.WARNING if left else messages.SUCCESS
        self.message_user(
            request,
            _("%(left)s of the selected messages could not be sent: see the mail log.")
            % {"left": left}
            if left
            else _("The selected messages were sent."),
            level,
        )


@admin.register(MessageLog)
class MailLogAdmin(_ReadOnlyMailAdmin):
    """Each attempt to send: sent, or failed and why (the server's answer)."""

    list_display = ["attempted_at", "recipients", "subject", "outcome", "answer"]
    list_filter = ["result"]
    date_hierarchy = "when_attempted"
    fields = ["attempted_at", "recipients", "subject", "outcome", "answer", "queued_at"]
    readonly_fields = fields

    @admin.display(description=_("attempted at"), ordering="when_attempted")
    def attempted_at(self, obj):
        return obj.when_attempted

    @admin.display(description=_("outcome"))
    def outcome(self, obj):
        return {RESULT_SUCCESS: _("sent"), RESULT_FAILURE: _("failed")}.get(obj.result, "")

    @admin.display(description=_("server's answer"))
    def answer(self, obj):
        return obj.log_message
