from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Organisations")

    def ready(self):
        from municipalities import choices
        from municipalities.models import Organisation, Unit

        # The choice lists the forms keep in memory are read again after any change.
        for model in (Organisation, Unit):
            uid = f"choices-{model.__name__}"
            post_save.connect(choices.changed, sender=model, dispatch_uid=uid)
            post_delete.connect(choices.changed, sender=model, dispatch_uid=uid)
        post_migrate.connect(choices.migrated, sender=self, dispatch_uid="choices-migrated")
