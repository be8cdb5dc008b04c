"""Pikassos' support to guardians: trainings with sign-up and attendance, and contacts.

The tables keep the names they had inside `guardianship` (migration 0001 moved the models
without moving a row).
"""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import UUIDModel
from common.rows import count_of
from support.enums import SupportKind

# Erased by retention with the request the contact concerns (common.retention).
SUPPORT_CONTACT_PERSONAL_FIELDS = {"notes": ""}


class SupportContact(models.Model):
    """Pikassos' support to a guardian: a consultation, peer meeting or training."""

    guardian = models.ForeignKey(
        "guardianship.Guardian",
        verbose_name=_("guardian"),
        on_delete=models.PROTECT,
        related_name="support_contacts",
    )
    request = models.ForeignKey(
        "guardianship.GuardianshipRequest",
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_contacts",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SupportKind.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        db_table = "guardianship_supportcontact"
        verbose_name = _("support contact")
        verbose_name_plural = _("support contacts")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["guardian", "date"], name="support_guardian_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"


class TrainingEventQuerySet(models.QuerySet):
    def with_signups(self):
        """`signed_up`: the training's sign-ups, as a correlated count (an index-only
        read of signup_once_per_event): a page of 50 trainings counts theirs, not a
        GROUP BY over every sign-up of every training (issue 18)."""
        return self.annotate(
            signed_up=count_of(TrainingSignup.objects.filter(event=OuterRef("pk")), "event")
        )


class TrainingEvent(UUIDModel):
    """A training Pikassos arranges for guardians, with sign-up and attendance."""

    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place or remote link"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)

    objects = TrainingEventQuerySet.as_manager()

    class Meta:
        db_table = "guardianship_trainingevent"
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"], name="training_starts_idx")]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y})"


class TrainingSignup(models.Model):
    event = models.ForeignKey(
        TrainingEvent, verbose_name=_("training"), on_delete=models.PROTECT, related_name="signups"
    )
    guardian = models.ForeignKey(
        "guardianship.Guardian",
        verbose_name=_("guardian"),
        on_delete=models.PROTECT,
        related_name="training_signups",
    )
    signed_up_at = models.DateTimeField(_("signed up"), default=timezone.now)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        db_table = "guardianship_trainingsignup"
        verbose_name = _("training sign-up")
        verbose_name_plural = _("training sign-ups")
        ordering = ["event__starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "guardian"], name="signup_once_per_event")
        ]

    def __str__(self):
        return f"{self.guardian} – {self.event}"
