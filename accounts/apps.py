from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.models import Group

        from accounts import checks, signals  # noqa: F401  (register the checks, the log)
        from accounts.roles import role_label

        if settings.AUTH_CACHE_SECONDS:
            signals.connect_auth_cache_invalidation()

        # A role's group is shown by the role's label, never its code ("coordinator"):
        # in the admin's lists, filters, the user's roles and breadcrumbs (issue 16).
        Group.__str__ = lambda group: str(role_label(group.name))
