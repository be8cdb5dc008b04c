from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Development projects")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from projects.feeds import calendar_changed
        from projects.models import Event

        # The calendar feed is kept in the cache until one of its events changes.
        for signal in (post_save, post_delete):
            signal.connect(calendar_changed, sender=Event, dispatch_uid="projects.calendar")
