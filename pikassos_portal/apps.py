from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The admin, with the portal's site (two-factor check, safe login form)."""

    default_site = "pikassos_portal.admin.PortalAdminSite"
