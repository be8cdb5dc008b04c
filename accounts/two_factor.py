"""Two-factor enrolment and verification with django-otp: TOTP and one-time backup codes.

Enrolment needs an invitation link as well as the password (accounts.services)."""

import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.middleware import user_has_device


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("The six digits from your authenticator app, or one of your backup codes."),
    )


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


def qr_svg(uri):
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    # Served inline in the page (no external request, nothing for the CSP to allow).
    return out.getvalue().decode().split("?>", 1)[-1]


# The invitation link's token and the authenticator being enrolled with it, kept in the
# session: the token leaves the address bar at the first hop (as Django's password reset
# does), so it is not sent on as a Referer nor written to logs but as the link itself.
INVITATION_TOKEN = "pikassos_2fa_invitation"
ENROLMENT_DEVICE = "pikassos_2fa_device"
BACKUP_CODES_SHOWN = "pikassos_2fa_backup_codes"

REFUSALS = {
    "used": _("This invitation link has already been used."),
    "expired": _("This invitation link has expired."),
    "unknown": _("This invitation link is not valid for your account."),
}


@require_safe
@login_required
def setup(request):
    """Where a user without a second factor is sent: enrolling needs an invitation link,
    which this page tells them how to get (or that one is waiting in their e-mail)."""
    if user_has_device(request.user):
        return redirect("two_factor_verify")
    if request.session.get(INVITATION_TOKEN) is not None:
        return redirect("two_factor_enrol")  # a link opened in this session, not yet used
    waiting = request.user.enrolment_invitations.open().order_by("-expires_at").first()
    return render(
        request,
        "registration/two_factor_setup.html",
        {"waiting": waiting, "hours": settings.TWO_FACTOR_INVITATION_HOURS},
    )


@login_not_required
def invitation(request, token):
    """The e-mailed link: its token moves into the session and the browser goes on to the
    enrolment page without it, through the login page when not signed in (so the login
    page's address does not carry the token either)."""
    request.session[INVITATION_TOKEN] = token if len(token) <= services.MAX_TOKEN_LENGTH else ""
    request.session.pop(ENROLMENT_DEVICE, None)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("two_factor_enrol"))
    return redirect("two_factor_enrol")


def _refused(request, refusal):
    request.session.pop(INVITATION_TOKEN, None)
    request.session.pop(ENROLMENT_DEVICE, None)
    return render(
        request,
        "registration/two_factor_invitation_invalid.html",
        {"reason": REFUSALS[refusal.reason]},
        status=404,
    )


def _pending_device(request):
    """The unconfirmed authenticator made for this enrolment (in this session), or a new
    one: a key that somebody else may have been shown earlier is never offered."""
    device = TOTPDevice.objects.filter(
        user=request.user, confirmed=False, pk=request.session.get(ENROLMENT_DEVICE)
    ).first()
    if device is None:
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator", confirmed=False)
        request.session[ENROLMENT_DEVICE] = device.pk
    return device


@login_required
def enrol(request):
    """Enrol an authenticator app with an invitation: scan the QR code, confirm with a
    code, then see the backup codes. Only a valid invitation of this user opens it, and
    confirming uses the invitation up."""
    token = request.session.get(INVITATION_TOKEN)
    if token is None:
        return redirect("two_factor_setup")
    form = TokenForm(request.POST or None)
    with transaction.atomic():
        # Locked while the code is checked and the device confirmed: of two submits at
        # once, the second waits here and then finds the invitation used.
        try:
            invitation = services.check_invitation(
                request.user, token, lock=request.method == "POST"
            )
        except services.InvitationRefused as refusal:
            return _refused(request, refusal)
        device = _pending_device(request)
        if request.method == "POST" and form.is_valid():
            if device.verify_token(form.cleaned_data["token"].strip()):
                codes = services.complete_enrolment(invitation, device)
                otp_login(request, device)
                request.session.pop(INVITATION_TOKEN, None)
                request.session.pop(ENROLMENT_DEVICE, None)
                request.session[BACKUP_CODES_SHOWN] = codes
                return redirect("two_factor_backup_codes")
            form.add_error(
                "token", _("The code did not match. Check the time on your phone and try again.")
            )
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "qr": qr_svg(device.config_url),
            "key": device.key,
            "replaces": user_has_device(request.user),
        },
    )


@login_required
def backup_codes(request):
    """The backup codes of the enrolment just done, shown once (not on a reload)."""
    codes = request.session.pop(BACKUP_CODES_SHOWN, None)
    if not codes:
        return redirect("home")
    return render(request, "registration/two_factor_backup_codes.html", {"codes": codes})


@login_required
def verify(request):
    if not user_has_device(request.user):
        return redirect("two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            # A path, never a view name: redirect() would try to reverse "next=foo".
            return HttpResponseRedirect(_next(request))
        form.add_error("token", _("The code did not match."))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)}
    )
