from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Development projects")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from projects.caching import public_changed
        from projects.feeds import calendar_changed
        from projects.models import Event, NewsItem, Project, Tag

        # The calendar feed is kept in the cache until one of its events changes; the
        # front page's sections and the news list until any of what they show changes.
        for signal in (post_save, post_delete):
            signal.connect(calendar_changed, sender=Event, dispatch_uid="projects.calendar")
            for model in (Event, NewsItem, Project, Tag):
                signal.connect(
                    public_changed, sender=model, dispatch_uid=f"projects.public.{model.__name__}"
                )
        m2m_changed.connect(
            public_changed, sender=NewsItem.tags.through, dispatch_uid="projects.public.tags"
        )
