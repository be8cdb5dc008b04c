from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The admin, with the portal's site (two-factor check, safe login form)."""

    default_site = "pikassos_portal.admin.PortalAdminSite"

    def ready(self):
        super().ready()
        from pikassos_portal.admin_names import name_everything

        # The libraries' apps, models and fields named in Finnish and Swedish (issue 16).
        name_everything()
