"""The legal tracks on which a guardian is appointed for a child (issue 14, part 1).

Reference data, loaded by the migration `guardianship 0018_legal_tracks` and corrected by a
coordinator in the admin, never in code: who may apply, which body appoints, who pays and
when the mandate ends. Two tracks are loaded, with their sources:

- *child welfare*, Child Welfare Act (lastensuojelulaki 417/2007) 22 §: the responsible
  social worker applies; the district court appoints, or the guardianship authority
  (Digi- ja väestötietovirasto) where the custodian and the social welfare authority
  apply together; the wellbeing services county pays; the mandate ends when the
  child-protection matter is resolved, at the latest when the child turns 18.
  https://www.finlex.fi/fi/laki/ajantasa/2007/20070417#L4P22 and THL's handbook,
  https://thl.fi/julkaisut/kasikirjat/lastensuojelun-kasikirja/tyoprosessi/lastensuojelun-edunvalvonta
- *criminal investigation*, Criminal Investigation Act (esitutkintalaki 805/2011) chapter 4
  section 8 (as amended by 453/2023): the court appoints a guardian for an injured party
  under 18 when the custodian cannot act impartially; the head of investigation applies,
  or the prosecutor or the social welfare authority; the order lasts until the criminal
  case ends; the fee is paid from state funds by the court, following the principles of
  holhoustoimilaki 442/1999 44 § (Supreme Court KKO:2018:69).
  https://www.finlex.fi/fi/laki/alkup/2023/20230453,
  https://korkeinoikeus.fi/fi/index/ennakkopaatokset/precedent/1540541634390.html,
  https://www.riku.fi/rikoksen-uhrina/lapsi-rikoksen-uhrina/mika-on-edunvalvoja/
"""

import datetime

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.models import TranslatedNameMixin
from guardianship.enums import ApplicantKind, AppointingBody, EndCondition

DEFAULT_COURT = "Satakunnan käräjäoikeus"
# The codes of the two tracks the migration loads (tests, demo and factories name them).
CHILD_WELFARE = "lastensuojelu"
CRIMINAL_INVESTIGATION = "esitutkinta"
AGE_OF_MAJORITY = 18


class LegalTrackQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class LegalTrack(TranslatedNameMixin, models.Model):
    """A legal basis for appointing a guardian for a child, as reference data."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    law_reference = models.CharField(
        _("law reference"),
        max_length=200,
        help_text=_("The section of the law, e.g. “lastensuojelulaki 417/2007 22 §”."),
    )
    sources = models.TextField(
        _("sources"), blank=True, help_text=_("Where the facts of this track come from.")
    )
    applicant_kinds = ArrayField(
        models.CharField(max_length=30, choices=ApplicantKind.choices),
        verbose_name=_("who may apply"),
    )
    applicants = models.TextField(_("who applies, in Finnish"), blank=True)
    applicants_sv = models.TextField(_("who applies, in Swedish"), blank=True)
    appointing_body = models.CharField(
        _("appointing body"),
        max_length=30,
        choices=AppointingBody.choices,
        default=AppointingBody.DISTRICT_COURT,
    )
    agreed_appointing_body = models.CharField(
        _("appointing body in agreed cases"),
        max_length=30,
        choices=AppointingBody.choices,
        blank=True,
        help_text=_("The body that may appoint instead when those concerned apply together."),
    )
    default_court = models.CharField(_("default court"), max_length=200, default=DEFAULT_COURT)
    payer = models.ForeignKey(
        "municipalities.Organisation",
        verbose_name=_("who pays the fee"),
        on_delete=models.PROTECT,
        related_name="paid_legal_tracks",
    )
    end_conditions = ArrayField(
        models.CharField(max_length=30, choices=EndCondition.choices),
        verbose_name=_("when the mandate ends"),
    )
    records_investigation = models.BooleanField(
        _("records the criminal investigation"),
        default=False,
        help_text=_(
            "A request on this track records the police report number, the investigating "
            "unit and who applied."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        help_text=_(
            "Tracks are listed in this order; when a request is on several, the first one's "
            "payer pays."
        ),
    )
    is_active = models.BooleanField(_("can be chosen"), default=True)

    objects = LegalTrackQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal track")
        verbose_name_plural = _("legal tracks")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applicant_kinds__len__gt=0)
                & Q(applicant_kinds__contained_by=ApplicantKind.values),
                name="legal_track_applicants_known",
                violation_error_message=_("Choose at least one who may apply."),
            ),
            models.CheckConstraint(
                condition=Q(end_conditions__len__gt=0)
                & Q(end_conditions__contained_by=EndCondition.values),
                name="legal_track_end_conditions_known",
                violation_error_message=_("Choose at least one condition for the end."),
            ),
            models.CheckConstraint(
                condition=Q(appointing_body__in=AppointingBody.values),
                name="legal_track_appointing_body_known",
            ),
            models.CheckConstraint(
                condition=Q(agreed_appointing_body="")
                | Q(agreed_appointing_body__in=AppointingBody.values),
                name="legal_track_agreed_body_known",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_applicants(self):
        return (self.applicants_sv if get_language() == "sv" else "") or self.applicants

    def get_applicant_kinds_display(self):
        labels = dict(ApplicantKind.choices)
        return [labels.get(kind, kind) for kind in self.applicant_kinds]

    def get_end_conditions_display(self):
        labels = dict(EndCondition.choices)
        return [labels.get(condition, condition) for condition in self.end_conditions]


class RequestTrack(models.Model):
    """A request on a legal track. A track a request is on cannot be deleted (PROTECT):
    only no longer offered (`is_active`)."""

    request = models.ForeignKey(
        "guardianship.GuardianshipRequest",
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    track = models.ForeignKey(
        LegalTrack, verbose_name=_("legal track"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("request's legal track")
        verbose_name_plural = _("requests' legal tracks")
        constraints = [
            models.UniqueConstraint(fields=["request", "track"], name="request_track_unique")
        ]

    def __str__(self):
        return f"{self.request_id} – {self.track}"


def payer_of(tracks):
    """The organisation that pays the guardian's fee on `tracks`: the payer of the first
    track in their order. With both tracks that is the child-welfare track's payer, the
    wellbeing services county: the request's guardian acts in the child-protection matter,
    and the criminal investigation's share is claimed from the court in the criminal case
    (README, "Legal tracks")."""
    tracks = sorted(tracks, key=lambda t: (t.order, t.pk))
    return tracks[0].payer if tracks else None


def eighteenth_birthday(born):
    """The day a child born on `born` turns 18. One born on 29 February turns 18 on 28
    February of a common year: the earlier reading, so a reminder is never late."""
    try:
        return born.replace(year=born.year + AGE_OF_MAJORITY)
    except ValueError:
        return datetime.date(born.year + AGE_OF_MAJORITY, 2, 28)


def is_minor_on(born, day):
    """A child born on `born` is under 18 on `day`."""
    return day < eighteenth_birthday(born)
