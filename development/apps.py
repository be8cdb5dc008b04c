from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    name = "development"
    verbose_name = _("Development work")

    def ready(self):
        from development import receivers  # noqa: F401  (connects to the nightly retention)
