from django.conf import settings
from django.contrib import admin

from accounts.forms import AdminLoginForm


class PortalAdminSite(admin.AdminSite):
    """The admin asks for a verified second factor like the rest of the portal, so the
    admin login page is no way around two-factor authentication."""

    site_header = "Pikassos"
    site_title = "Pikassos"
    login_form = AdminLoginForm

    def has_permission(self, request):
        verified = not settings.REQUIRE_2FA or request.user.is_verified()
        return super().has_permission(request) and verified
