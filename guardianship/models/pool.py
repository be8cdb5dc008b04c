"""The guardian pool: the guardians, their availability, load and trainings done."""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel, UUIDModel, VersionedModel
from common.rows import count_of
from guardianship.enums import (
    AssignmentStatus,
    Availability,
    Background,
    Language,
)
from guardianship.models.requests import Assignment


class GuardianQuerySet(models.QuerySet):
    def available(self, on=None):
        """Guardians who can be proposed: active, or paused until a date already passed."""
        on = on or timezone.localdate()
        return self.filter(
            Q(availability=Availability.ACTIVE)
            | Q(availability=Availability.PAUSED, paused_until__lt=on)
        )

    def with_load(self):
        """Active cases per guardian, as a correlated count: no GROUP BY over the whole
        pool, so a page of 50 guardians counts 50 guardians' cases."""
        return self.annotate(
            load=count_of(
                # The guardian, not the key: an index-only count (assignment_active_idx).
                Assignment.objects.filter(guardian=OuterRef("pk"), status=AssignmentStatus.ACTIVE),
                "guardian",
            )
        )

    def with_trainings_done(self):
        return self.annotate(
            trainings_done=count_of(
                GuardianTraining.objects.filter(guardian=OuterRef("pk")), "guardian"
            )
        )


@pghistory.track()
class Guardian(UUIDModel, TimeStampedModel, VersionedModel):
    """A person in Pikassos' pool of child-protection guardians (edunvalvoja)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guardian_profile",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    background = models.CharField(_("background"), max_length=20, choices=Background.choices)
    languages = ArrayField(
        models.CharField(max_length=8, choices=Language.choices),
        verbose_name=_("languages"),
        default=list,
    )
    areas = models.ManyToManyField(
        "municipalities.Organisation",
        verbose_name=_("municipalities served"),
        related_name="guardians",
        blank=True,
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=3, help_text=_("The most active cases at a time.")
    )
    availability = models.CharField(
        _("availability"), max_length=10, choices=Availability.choices, default=Availability.ACTIVE
    )
    paused_until = models.DateField(
        _("paused until"), null=True, blank=True, help_text=_("For example the end of a holiday.")
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = GuardianQuerySet.as_manager()

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["availability", "paused_until"]),
            GinIndex(fields=["languages"], name="guardian_languages_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(availability=Availability.PAUSED) | Q(paused_until__isnull=False),
                name="guardian_paused_has_date",
                violation_error_message=_("A paused guardian needs the date the pause ends."),
            ),
            models.CheckConstraint(condition=Q(capacity__lte=50), name="guardian_capacity_sane"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self):
        return reverse("guardianship:guardian_detail", kwargs={"uuid": self.uuid})

    def is_available(self, on=None):
        on = on or timezone.localdate()
        return self.availability == Availability.ACTIVE or (
            self.availability == Availability.PAUSED and self.paused_until < on
        )

    def get_languages_display(self):
        labels = dict(Language.choices)
        return ", ".join(str(labels.get(code, code)) for code in self.languages)


class GuardianTraining(models.Model):
    """A training the guardian has done: recorded by hand, or by attending a TrainingEvent."""

    guardian = models.ForeignKey(
        Guardian, verbose_name=_("guardian"), on_delete=models.PROTECT, related_name="trainings"
    )
    title = models.CharField(_("training"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    event = models.ForeignKey(
        "support.TrainingEvent",
        verbose_name=_("training event"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="completions",
    )

    class Meta:
        verbose_name = _("training done")
        verbose_name_plural = _("trainings done")
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["guardian", "event"], name="training_once_per_event")
        ]

    def __str__(self):
        return f"{self.title} ({self.completed_on})"
