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


class VersionedModel(models.Model):
    """A record two people can edit at once through the portal's forms: its version,
    checked by common.versioning.VersionedFormMixin on save (issue 16, part 5). Every
    full save of an existing row moves it on (the admin's too); a save of named fields
    (`update_fields`: the workflow's steps) does not."""

    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Grows by one on every save; an edit based on an older one is refused."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)


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


class JobRun(models.Model):
    """One run of a scheduled job by the worker (`manage.py worker`): when it started and
    finished, whether it succeeded and what it said (its output, or the error). Job output
    names counts and references, never a person."""

    name = models.CharField(_("job"), max_length=100)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), null=True, help_text=_("Empty while it runs."))
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["name", "-started_at"], name="jobrun_name_started")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(finished_at__isnull=True)
                | models.Q(finished_at__gte=models.F("started_at")),
                name="jobrun_finished_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(ok__isnull=True, finished_at__isnull=True)
                | models.Q(ok__isnull=False, finished_at__isnull=False),
                name="jobrun_finished_with_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M}"
