"""A form sent after the session ended is kept and restored after the login (issue 16).

A post to a page whose view is marked `@restores_expired_submission` that meets an
ended session (idle or absolute limit, or a session row already gone) is stored,
encrypted, in `ExpiredSubmission` for the user the session belonged to, before the user
is sent to log in. Whose it is comes from the session when it is still there, else from
a signed cookie set at login (OWNER_COOKIE): the session row may be gone. The key that
decrypts it and the token that finds it are only in the sender's browser, in a signed,
HttpOnly cookie (RESUBMIT_COOKIE): never in a URL, a log or the database. When the same
user, logged in again, opens the page, the view gets the posted data back
(`restored_submission`), the row is deleted and the form is shown filled, with a message.
Another user logging in on the same browser never sees it; unclaimed rows are deleted
after RESUBMIT_HOURS (`purge_expired_submissions`). Uploaded files are not kept.
"""

import hashlib
import json
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ExpiredSubmission

OWNER_COOKIE = "pikassos_owner"
RESUBMIT_COOKIE = "pikassos_resubmit"
_SALT = "accounts.resubmit"
# Not kept: the old CSRF token, and what only says which button or script sent it.
_DROPPED = {"csrfmiddlewaretoken", "autosave", "submit", "draft"}


def restores_expired_submission(view):
    """Mark a form view whose post, if it meets an ended session, is kept and restored
    after the login (the view asks `restored_submission` on GET)."""
    view.restores_submission = True
    return view


def _restorable(request):
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "restores_submission", False)


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def _cookie_args():
    return {
        "httponly": True,
        "secure": settings.SESSION_COOKIE_SECURE,
        "samesite": "Lax",
    }


def _csrf_ok(request):
    """The post's CSRF token is good: a post from another site is not kept. (The check
    runs here because the session's end is met before Django's own check runs.)"""
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}) is None


def owner_of(request):
    """The id of the user who last logged in on this browser, from the signed cookie."""
    try:
        return int(request.get_signed_cookie(OWNER_COOKIE, salt=_SALT))
    except (KeyError, signing.BadSignature, ValueError):
        return None


def keep(request, user_id, response):
    """Store the post of `request` for `user_id` and give the browser the cookie that
    finds and decrypts it; an earlier one of this browser is replaced."""
    earlier = _cookie(request)
    if earlier is not None:
        ExpiredSubmission.objects.filter(token_hash=_hash(earlier[0])).delete()
    data = {k: v for k, v in request.POST.lists() if k not in _DROPPED}
    token, key = secrets.token_urlsafe(32), Fernet.generate_key().decode()
    now = timezone.now()
    ExpiredSubmission.objects.create(
        token_hash=_hash(token),
        user_id=user_id,
        path=request.path,
        data=Fernet(key).encrypt(json.dumps(data).encode()),
        created_at=now,
        expires_at=now + timezone.timedelta(hours=settings.RESUBMIT_HOURS),
    )
    response.set_signed_cookie(
        RESUBMIT_COOKIE,
        f"{token}:{key}",
        salt=_SALT,
        max_age=settings.RESUBMIT_HOURS * 3600,
        **_cookie_args(),
    )
    return response


def _cookie(request):
    try:
        token, key = request.get_signed_cookie(RESUBMIT_COOKIE, salt=_SALT).split(":", 1)
    except (KeyError, signing.BadSignature, ValueError):
        return None
    return token, key


def restored_submission(request):
    """On a GET by the user who sent it, the data of the form kept when their session
    ended on this page (a QueryDict), deleted as it is read; else None."""
    if request.method != "GET":
        return None
    cookie = _cookie(request)
    if cookie is None:
        return None
    token, key = cookie
    kept = ExpiredSubmission.objects.filter(
        token_hash=_hash(token),
        user=request.user,
        path=request.path,
        expires_at__gt=timezone.now(),
    ).first()
    if kept is None:
        return None
    kept.delete()
    request.resubmit_done = True
    try:
        data = json.loads(Fernet(key).decrypt(bytes(kept.data)))
    except (InvalidToken, ValueError):
        return None
    restored = QueryDict(mutable=True)
    for name, values in data.items():
        restored.setlist(name, values)
    messages.info(request, _("The form's contents were restored: check them and send again."))
    return restored


class ExpiredSubmissionMiddleware:
    """Keeps a form's post that meets an ended session (before SessionLimitMiddleware
    and LoginRequiredMiddleware send it to log in), and remembers who logged in on this
    browser (OWNER_COOKIE). Must come after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from accounts.middleware import session_ended

        owner = None
        if request.method == "POST" and _restorable(request):
            if request.user.is_authenticated:
                if session_ended(request.session):
                    owner = request.user.pk
            else:
                owner = owner_of(request)
            if owner is not None and not _csrf_ok(request):
                owner = None
        response = self.get_response(request)
        if owner is not None:
            keep(request, owner, response)
        elif getattr(request, "resubmit_done", False):
            response.delete_cookie(RESUBMIT_COOKIE, samesite="Lax")
        if request.user.is_authenticated and owner_of(request) != request.user.pk:
            # Set after the login (and again if another user logs in on this browser).
            response.set_signed_cookie(
                OWNER_COOKIE,
                str(request.user.pk),
                salt=_SALT,
                max_age=settings.SESSION_ABSOLUTE_SECONDS + settings.RESUBMIT_HOURS * 3600,
                **_cookie_args(),
            )
        return response
