from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = _("Support for guardians")

    def ready(self):
        from support import receivers  # noqa: F401  (connects to guardianship's retention)
