"""Two-factor enrolment and verification with django-otp: TOTP and one-time backup codes."""

import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import user_has_device

BACKUP_CODES = 10


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


@login_required
def setup(request):
    """Enrol an authenticator app: scan the QR code, confirm with a code, get backup codes."""
    if user_has_device(request.user):
        return redirect("two_factor_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            codes = _confirm(request.user, device)
            otp_login(request, device)
            return render(
                request,
                "registration/two_factor_backup_codes.html",
                {"codes": codes, "next": _next(request)},
            )
        form.add_error(
            "token", _("The code did not match. Check the time on your phone and try again.")
        )
    return render(
        request,
        "registration/two_factor_setup.html",
        {"form": form, "qr": qr_svg(device.config_url), "key": device.key, "next": _next(request)},
    )


@transaction.atomic
def _confirm(user, device):
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    static, _created = StaticDevice.objects.get_or_create(user=user, name="Backup codes")
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


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
