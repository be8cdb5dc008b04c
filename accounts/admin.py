from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import EnrolmentInvitation, ExpiredSubmission, User
from accounts.roles import Role

PERMISSION_ACTIONS = {
    "add": _("may add"),
    "change": _("may change"),
    "delete": _("may delete"),
    "view": _("may view"),
}


def permission_label(permission):
    """A permission in the current language: "Edunvalvojapyynnöt | saa muuttaa" rather than
    Django's stored English "Can change guardianship request" (issue 16, part 10)."""
    model = permission.content_type.model_class()
    action, _sep, _rest = permission.codename.partition("_")
    if model is None or action not in PERMISSION_ACTIONS:
        return str(permission)
    opts = model._meta
    parts = (opts.app_config.verbose_name, opts.verbose_name_plural, PERMISSION_ACTIONS[action])
    return " | ".join(str(part) for part in parts)


class PermissionLabelsMixin:
    """The permissions' choices of a form named by permission_label."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions") and field is not None:
            field.label_from_instance = permission_label
        return field


@admin.register(User)
class UserAdmin(PermissionLabelsMixin, BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "is_superuser", "groups")
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("organisations",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Work"), {"fields": ("title", "phone", "organisations")}),
    )
    actions = ["reset_second_factor"]

    @admin.action(
        description=_("Reset the second factor and send an enrolment invitation"),
        permissions=["change"],
    )
    def reset_second_factor(self, request, queryset):
        """Deletes the users' authenticators and backup codes and e-mails each a one-time
        link to enrol a new one (accounts.services). A user without an e-mail address is
        left as they were: the link could reach them no other way."""
        reset, skipped = [], []
        for user in queryset.order_by("username"):
            if user.email:
                services.reset_second_factor(user, created_by=request.user)
                reset.append(user.get_username())
            else:
                skipped.append(user.get_username())
        if reset:
            self.message_user(
                request,
                ngettext(
                    "The second factor of %(users)s was reset and an enrolment invitation "
                    "was sent by e-mail.",
                    "The second factors of %(users)s were reset and an enrolment invitation "
                    "was sent to each by e-mail.",
                    len(reset),
                )
                % {"users": ", ".join(reset)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                _(
                    "Nothing was changed for %(users)s: without an e-mail address the "
                    "invitation cannot be sent. Add an address and try again."
                )
                % {"users": ", ".join(skipped)},
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        """The first enrolment: once the user has a role that needs a second factor (the
        add form has no roles, so usually the save after it), an invitation goes out."""
        super().save_related(request, form, formsets, change)
        user = form.instance
        if not services.should_invite_on_save(user):
            return
        if user.email:
            services.send_invitation(user, created_by=request.user)
            self.message_user(
                request,
                _("An invitation to enrol the second factor was sent to %(email)s.")
                % {"email": user.email},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _(
                    "%(user)s needs a second factor but has no e-mail address, so no "
                    "enrolment invitation was sent. Add an address and save again."
                )
                % {"user": user.get_username()},
                messages.WARNING,
            )


class InvitationState(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("open")), ("used", _("used")), ("expired", _("expired"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "open":
            return queryset.open(now)
        if self.value() == "used":
            return queryset.filter(used_at__isnull=False)
        if self.value() == "expired":
            return queryset.filter(Q(used_at__isnull=True) & Q(expires_at__lte=now))
        return queryset


@admin.register(EnrolmentInvitation)
class EnrolmentInvitationAdmin(admin.ModelAdmin):
    """Who was invited to enrol a second factor, by whom, and whether it was used. Made
    only by the user admin's reset (or `manage.py invite_2fa`); deleting one revokes it."""

    list_display = ("user", "created_at", "expires_at", "used_at", "created_by")
    list_filter = (InvitationState,)
    list_select_related = ("user", "created_by")
    search_fields = ("user__username", "user__email")
    fields = ("user", "created_at", "expires_at", "used_at", "created_by")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExpiredSubmission)
class ExpiredSubmissionAdmin(admin.ModelAdmin):
    """Forms kept after a session ended, waiting for their sender's login (issue 16). What
    was typed is encrypted with a key only the sender's browser holds: never shown here.
    Deleting one drops it; the worker deletes them after RESUBMIT_HOURS."""

    list_display = ("user", "path", "created_at", "expires_at")
    list_select_related = ("user",)
    fields = ("user", "path", "created_at", "expires_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DeviceAdmin(admin.ModelAdmin):
    """An authenticator is enrolled only by the person, through an invitation link: the
    admin may see and delete devices (a lost phone) but not add or change one, which would
    bind a second factor to someone else's phone."""

    list_display = ("user", "name", "confirmed")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)
    admin.site.register(device_model, DeviceAdmin)


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(PermissionLabelsMixin, BaseGroupAdmin):
    """The roles (Django's groups) by their labels. A role's code is what the portal looks
    for (accounts.roles), so a role's group cannot be renamed; other groups can."""

    list_display = ("role",)

    @admin.display(description=_("role"), ordering="name")
    def role(self, group):
        return str(group)

    def get_fields(self, request, obj=None):
        if obj is not None and obj.name in Role.values:
            return ("role", "permissions")
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.name in Role.values:
            return ("role",)
        return ()
