"""The admin in Finnish (issue 16, part 10): names for what the libraries leave in English.

Our own models and fields carry translated verbose names. The libraries' do not: django-axes,
django-mailer and django-otp ship no Finnish or Swedish, django-otp's and pghistory's names
are not even marked for translation, and pghistory's event models are named from their
class ("guardian event"). Here each gets a translated name, set on the app configs and the
models' options when the admin starts (`PortalAdminConfig.ready`).

Only the names shown are changed (`verbose_name`), not the names the migrations record
(`Options.original_attrs`, `Field._verbose_name`), so no migration of a library changes.
"""

from django.apps import apps
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# app label: its name in the admin's index.
APPS = {
    "axes": _("Sign-in monitoring"),
    "mailer": _("E-mail"),
    "otp_totp": _("Authenticator apps"),
    "otp_static": _("Backup codes"),
    "pghistory": _("Change history"),
}

# "app.Model": (singular, plural, {field: name}).
MODELS = {
    "auth.Group": (_("role"), _("roles"), {}),
    "axes.AccessAttempt": (_("failed sign-in"), _("failed sign-ins"), {}),
    "axes.AccessFailureLog": (_("sign-in failure"), _("sign-in failures"), {}),
    "axes.AccessLog": (_("sign-in log entry"), _("sign-in log"), {}),
    "axes.AccessAttemptExpiration": (_("lockout expiry"), _("lockout expiries"), {}),
    "mailer.DontSendEntry": (_("blocked address"), _("blocked addresses"), {}),
    "otp_totp.TOTPDevice": (_("authenticator app"), _("authenticator apps"), {}),
    "otp_static.StaticDevice": (_("backup code list"), _("backup code lists"), {}),
    "pghistory.Events": (_("change (all records)"), _("changes (all records)"), {}),
}

# The fields of the libraries' models, by name, wherever they occur.
FIELDS = {
    "axes": {
        "user_agent": _("browser (User-Agent)"),
        "ip_address": _("IP address"),
        "username": _("username"),
        "http_accept": _("HTTP Accept header"),
        "path_info": _("path"),
        "attempt_time": _("time of the attempt"),
        "get_data": _("GET data"),
        "post_data": _("POST data"),
        "failures_since_start": _("failed attempts"),
        "locked_out": _("locked out"),
        "logout_time": _("signed out"),
        "session_hash": _("session key hash (SHA-256)"),
        "access_attempt": _("failed sign-in"),
        "expires_at": _("expires"),
    },
    "mailer": {
        "to_address": _("address"),
        "when_added": _("added"),
        "message_data": _("message"),
        "priority": _("priority"),
        "retry_count": _("retries"),
        "message_id": _("message identifier"),
        "when_attempted": _("attempted"),
        "result": _("result"),
        "log_message": _("answer"),
    },
    "otp": {
        "user": _("user"),
        "name": _("name"),
        "confirmed": _("confirmed"),
        "throttling_failure_timestamp": _("last failed attempt"),
        "throttling_failure_count": _("failed attempts"),
        "created_at": _("created"),
        "last_used_at": _("last used"),
        "key": _("key"),
        "step": _("time step (s)"),
        "t0": _("start time (t0)"),
        "digits": _("digits"),
        "tolerance": _("tolerance"),
        "drift": _("clock drift"),
        "last_t": _("last time step used"),
    },
    # pghistory's own fields, on its Events and on every event model.
    "pghistory": {
        "pgh_slug": _("identifier"),
        "pgh_model": _("history table"),
        "pgh_id": _("change number"),
        "pgh_created_at": _("changed at"),
        "pgh_label": _("kind of change"),
        "pgh_data": _("values"),
        "pgh_diff": _("changes"),
        "pgh_context_id": _("context identifier"),
        "pgh_context": _("context (who, where)"),
        "pgh_obj_model": _("record's model"),
        "pgh_obj_id": _("record's identifier"),
        "pgh_obj": _("record"),
    },
}
FIELDS["otp_totp"] = FIELDS["otp_static"] = FIELDS["otp"]

# Admin columns read from a model's property, which Django would head with its English
# name ("Reference"): "app.Model.property": name.
PROPERTY_COLUMNS = {
    "fees.FeeClaim.reference": _("Reference"),
}


def _name_fields(model, names):
    for field in model._meta.get_fields():
        if field.name in names and hasattr(field, "verbose_name"):
            field.verbose_name = names[field.name]


def _event_models():
    """pghistory's event models: (event model, the model it tracks)."""
    from pghistory.models import Event

    for model in apps.get_models():
        tracked = getattr(model, "pgh_tracked_model", None)
        if issubclass(model, Event) and tracked is not None:
            yield model, tracked


def _name_library_admins():
    """The libraries' list columns and filters that are named in code, not by a field."""
    from axes.admin import AccessAttemptAdmin, IsLockedOutFilter
    from pghistory.admin.core import EventModelFilter, LabelFilter, ObjFilter

    AccessAttemptAdmin.status.short_description = _("Status")
    AccessAttemptAdmin.expiration.short_description = _("expires")
    IsLockedOutFilter.title = _("locked out")
    LabelFilter.title = _("kind of change")
    ObjFilter.title = _("record")
    EventModelFilter.title = _("history table")


def name_everything():
    for label, name in APPS.items():
        try:
            apps.get_app_config(label).verbose_name = name
        except LookupError:
            continue
    for label, (singular, plural, fields) in MODELS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
        _name_fields(model, fields)
    for label, names in FIELDS.items():
        try:
            models = apps.get_app_config(label).get_models()
        except LookupError:
            continue
        for model in models:
            _name_fields(model, names)
    _name_library_admins()
    for path, name in PROPERTY_COLUMNS.items():
        label, attribute = path.rsplit(".", 1)
        try:
            getattr(apps.get_model(label), attribute).fget.short_description = name
        except (LookupError, AttributeError):
            continue
    for model, tracked in _event_models():
        # "Edunvalvoja: muutoshistoria": the tracked model's name, read when shown.
        model._meta.verbose_name = format_lazy(_("{name}: change"), name=tracked._meta.verbose_name)
        model._meta.verbose_name_plural = format_lazy(
            _("{name}: change history"), name=tracked._meta.verbose_name
        )
        _name_fields(model, {**FIELDS["pghistory"], "id": _("ID")})
