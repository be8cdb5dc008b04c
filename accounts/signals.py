"""The security log: logins, logouts, failed logins and lockouts, one line each.

Never the password, and only the username that was typed for a failed login.
"""

import logging
import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

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
