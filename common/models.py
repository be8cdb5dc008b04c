"""Abstract models shared by every app."""

import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class UUIDModel(models.Model):
    """A random public identifier, so URLs never reveal names, codes or counts."""

    uuid = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class AppendOnlyModel(models.Model):
    """A table the application's database role may only read and insert into
    (`common.dbroles`): the access log and the requests' timeline. Retention, which runs as
    the owner role, may still erase text in it."""

    class Meta:
        abstract = True


class TranslatedNameMixin:
    """`display_name` in the current language: `name` is Finnish; `name_sv` and `name_en`
    are used where the model has them and they are filled in."""

    @property
    def display_name(self):
        return getattr(self, f"name_{get_language()}", "") or self.name
