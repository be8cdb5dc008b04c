"""The security log: logins, logouts, failed logins and lockouts, one line each.

Never the password, and only the username that was typed for a failed login.
"""

import logging
import time

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.dispatch import receiver

from accounts import authcache
from accounts.middleware import LOGIN_AT, SEEN_AT

log = logging.getLogger("pikassos.security")


def _address(request):
    return getattr(request, "axes_ip_address", None) or (
        request.META.get("REMOTE_ADDR") if request is not None else None
    )


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    log.info("login user=%s address=%s", user.get_username(), _address(request))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    log.info("logout user=%s address=%s", user.get_username() if user else "-", _address(request))


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # %r: a typed username with a newline must not forge a line of its own in the log.
    log.warning("login-failed user=%r address=%s", credentials.get("username"), _address(request))


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    log.warning("locked-out user=%r address=%s", username, ip_address)


# The shared auth cache (accounts.authcache): every change that could change who a
# signed-in user is, what they may do, or their second factor drops its entry before the
# write and again at the commit. Before: a cache that does not answer then stops the
# write, even outside a transaction. Receivers are bound to their senders: a receiver for
# every model would stop Django's fast bulk deletes everywhere.


def _user_changed(sender, instance, update_fields=None, **kwargs):
    # Deactivation, a new password (the session auth hash), is_staff, any column; not the
    # login's own save of last_login, which would keep the user out of the cache for the
    # tombstone's time after every login.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    authcache.invalidate_users([instance.pk])


def _membership_row_deleted(sender, instance, **kwargs):
    # A user's group or unit row deleted with its group, unit or user (a cascade).
    authcache.invalidate_users([instance.user_id])


def _memberships_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    # user.groups / group.user_set, unit.members / user.units and organisation.users /
    # user.organisations, before the change (the tombstone holds until the commit, then
    # is set again).
    if not action.startswith("pre_"):
        return
    User = get_user_model()
    if isinstance(instance, User):
        authcache.invalidate_users([instance.pk])
    elif pk_set is not None:
        authcache.invalidate_users(pk_set)
    else:  # clear() from the group's, unit's or organisation's side: all its members
        side = next(
            f.name
            for f in sender._meta.concrete_fields
            if f.is_relation and f.related_model is type(instance)
        )
        members = sender.objects.filter(**{side: instance}).values_list("user_id", flat=True)
        authcache.invalidate_users(list(members))


def _group_saved(sender, instance, **kwargs):
    # A renamed group is another role for each of its members.
    if instance.pk is not None and not instance._state.adding:
        authcache.invalidate_users(instance.user_set.values_list("pk", flat=True))


def _device_changed(sender, instance, update_fields=None, **kwargs):
    # Deleted, unconfirmed or given to another user: the session's second factor is no
    # longer valid. Not a save of the throttling counters or the last use alone.
    if update_fields is not None and not {"user", "user_id", "confirmed"} & set(update_fields):
        return
    authcache.invalidate_device(instance)


def _auth_cache_receivers():
    from django.apps import apps
    from django_otp.models import Device

    User = get_user_model()
    # The units' memberships by the user's side of them: accounts may not import
    # municipalities (a higher floor).
    for model in (User.groups.through, User.units.through, User.organisations.through):
        yield m2m_changed, _memberships_changed, model
        yield pre_delete, _membership_row_deleted, model
    yield pre_save, _user_changed, User
    yield pre_delete, _user_changed, User
    yield pre_save, _group_saved, Group
    for model in apps.get_models():
        if issubclass(model, Device):
            yield pre_save, _device_changed, model
            yield pre_delete, _device_changed, model


def connect_auth_cache_invalidation():
    """Only with the auth cache on (accounts.apps): delete receivers make Django delete
    those rows one by one, which a portal without the cache need not pay for."""
    for signal, receiver_, sender in _auth_cache_receivers():
        signal.connect(receiver_, sender=sender, weak=False, dispatch_uid=("authcache", sender))


def disconnect_auth_cache_invalidation():
    for signal, _receiver, sender in _auth_cache_receivers():
        signal.disconnect(sender=sender, dispatch_uid=("authcache", sender))
