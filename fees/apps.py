from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeesConfig(AppConfig):
    name = "fees"
    verbose_name = _("Fee claims")

    def ready(self):
        from fees import receivers  # noqa: F401  (connects to guardianship's retention)
