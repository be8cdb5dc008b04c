import time

import django_otp.middleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from accounts import authcache
from accounts.roles import Role

LOGIN_AT = "pikassos_login_at"
SEEN_AT = "pikassos_seen_at"
SEEN_RESOLUTION = 60  # seconds


def session_ended(session, now=None):
    """The signed-in session has been idle too long or has lasted too long."""
    now = now or time.time()
    login_at = session.get(LOGIN_AT, now)
    seen_at = session.get(SEEN_AT, now)
    return (
        now - seen_at > settings.SESSION_IDLE_SECONDS
        or now - login_at > settings.SESSION_ABSOLUTE_SECONDS
    )


def session_remaining(session, now=None):
    """Seconds until the signed-in session ends, by its idle or its absolute limit."""
    now = now or time.time()
    idle = settings.SESSION_IDLE_SECONDS - (now - session.get(SEEN_AT, now))
    absolute = settings.SESSION_ABSOLUTE_SECONDS - (now - session.get(LOGIN_AT, now))
    return max(0, round(min(idle, absolute)))


def keep_alive(session):
    """The user is here (the "stay signed in" of the session warning): the idle time
    starts again now."""
    session[SEEN_AT] = time.time()


class SessionLimitMiddleware:
    """Ends a session after SESSION_IDLE_SECONDS without a request, and in any case
    SESSION_ABSOLUTE_SECONDS after the login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            session.setdefault(LOGIN_AT, now)
            seen_at = session.get(SEEN_AT, now)
            if session_ended(session, now):
                logout(request)
                messages.info(request, _("Your session ended. Please log in again."))
                return redirect(f"{reverse('login')}?next={request.path}")
            # Written at most once a minute: a session save on every request costs a query.
            if now - seen_at >= SEEN_RESOLUTION:
                session[SEEN_AT] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing a signed-in user is shown is kept by a browser or a proxy cache
    (`Cache-Control: no-store, private`): children's data, exports, receipts and the
    two-factor pages all need a signed-in user, and a shared computer's back button or a
    proxy must not show them to the next person. Public pages for visitors and static
    files (served earlier by WhiteNoise) stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read before the view: logging out turns the user anonymous on the way back.
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in:
            add_never_cache_headers(response)
        return response


# Roles that see children's data, and everyone who can reach the admin.
ROLES_NEEDING_2FA = (Role.COORDINATOR, Role.SOCIAL_WORKER, Role.GUARDIAN, Role.PAYER)


def needs_2fa(user):
    return user.is_staff or user.is_superuser or user.has_role(*ROLES_NEEDING_2FA)


class Require2FAMiddleware:
    """Sends a signed-in user who needs a second factor to enrol or verify first."""

    EXEMPT = (
        "two_factor_setup",
        "two_factor_enrol",
        "two_factor_invitation",
        "two_factor_verify",
        "logout",
        "set_language",
        "healthz",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not settings.REQUIRE_2FA or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match and match.url_name in self.EXEMPT:
            return None
        if not needs_2fa(user):
            return None
        target = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
        return redirect(f"{reverse(target)}?next={request.get_full_path()}")


def user_has_device(user):
    from django_otp import devices_for_user

    return any(True for _ in devices_for_user(user, confirmed=True))


class _CachedDevice(SimpleLazyObject):
    """The verified device as far as the request's checks need it (its owner and
    whether it is confirmed: OTPMiddleware's binding check and user.is_verified()), from
    the shared auth cache; the real device, with its secret, is read only if some code
    asks for anything else."""

    def __init__(self, persistent_id, facts):
        from django_otp.models import Device

        super().__init__(lambda: Device.from_persistent_id(persistent_id))
        self.__dict__["user_id"] = facts["user_id"]
        self.__dict__["confirmed"] = facts["confirmed"]
        self.__dict__["persistent_id"] = persistent_id


class OTPMiddleware(django_otp.middleware.OTPMiddleware):
    """django-otp's middleware; with a shared cache (accounts.authcache) it knows the
    session's device without a query. A deleted or unconfirmed device drops its cache
    entry at once (accounts.signals), so 2FA is asked again on every host."""

    def _device_from_persistent_id(self, persistent_id):
        if not authcache.enabled():
            return super()._device_from_persistent_id(persistent_id)
        persistent_id = self._normalize_persistent_id(persistent_id)
        facts = authcache.cached_device_facts(persistent_id)
        if facts is not None:
            return _CachedDevice(persistent_id, facts)
        device = super()._device_from_persistent_id(persistent_id)
        if device is not None:
            authcache.store_device(device)
        return device
