from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts import two_factor, views
from accounts.forms import LoginForm


def notice(view, heading, message, link_name, link_text, title=None):
    """A password step's confirmation page (registration/notice.html) with its texts."""
    texts = {
        "title": title,
        "heading": heading,
        "message": message,
        "link_url": reverse_lazy(link_name),
        "link_text": link_text,
    }
    return view.as_view(template_name="registration/notice.html", extra_context=texts)


urlpatterns = [
    path("2fa/setup/", two_factor.setup, name="two_factor_setup"),
    path("2fa/enrol/", two_factor.enrol, name="two_factor_enrol"),
    path("2fa/enrol/<str:token>/", two_factor.invitation, name="two_factor_invitation"),
    path("2fa/backup-codes/", two_factor.backup_codes, name="two_factor_backup_codes"),
    path("2fa/verify/", two_factor.verify, name="two_factor_verify"),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("keepalive/", views.keepalive, name="keepalive"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        notice(
            auth_views.PasswordChangeDoneView,
            _("Password changed"),
            _("Your password was changed."),
            "home",
            _("Back to the home page"),
        ),
        name="password_change_done",
    ),
    path("password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_reset/done/",
        notice(
            auth_views.PasswordResetDoneView,
            _("Check your email"),
            _(
                "If an account has this address, a link to set a new password is on its "
                "way. It is valid for a short time only."
            ),
            "login",
            _("Back to log in"),
            title=_("Link sent"),
        ),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        notice(
            auth_views.PasswordResetCompleteView,
            _("Password set"),
            _("Your new password is set. You can now log in."),
            "login",
            _("Log in"),
        ),
        name="password_reset_complete",
    ),
]
