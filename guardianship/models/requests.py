"""Requests, their children, the guardians proposed and serving (assignments) and the
timeline. Nothing is ever deleted (foreign keys PROTECT): a reassignment ends the old
assignment and starts a new one, and every step is a RequestEvent. URLs use `uuid`.
"""

import datetime

import pghistory
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import Count, F, OuterRef, Q
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.models import AppendOnlyModel, TimeStampedModel, UUIDModel
from common.retention import ERASED
from guardianship.enums import (
    QUEUE_STATES,
    AssignmentStatus,
    EndCondition,
    EventKind,
    InvestigationApplicant,
    Language,
    Matter,
    State,
    StepName,
    Urgency,
)
from guardianship.models.tracks import DEFAULT_COURT, LegalTrack


class RequestQuerySet(models.QuerySet):
    def for_user(self, user):
        """The requests `user` may see: guardianship.policies.requests_for, chainable."""
        from guardianship.policies import requests_for  # the policy reads these models

        return requests_for(user, self)

    def submitted(self):
        return self.exclude(state=State.DRAFT)

    def with_tracks(self):
        """Each request's legal tracks read in the same query, as a subquery (`track_list`:
        their names and default courts, in the tracks' order), so that a page of a request
        costs no query more for them (`track_names`, `default_court`)."""
        rows = (
            LegalTrack.objects.filter(requests=OuterRef("pk"))
            .order_by("order", "pk")
            .values(row=JSONObject(name="name", name_sv="name_sv", default_court="default_court"))
        )
        return self.annotate(track_list=ArraySubquery(rows))

    def open_by_state(self):
        """(state, count) of the open requests and drafts, read from
        request_open_state_idx alone: COUNT(*), since COUNT(id) would visit every row."""
        return (
            self.filter(state__in=QUEUE_STATES)
            .values_list("state")
            .annotate(n=Count("*"))
            .order_by()
        )


def short_reference(uuid):
    """A short reference for people to quote, without personal data."""
    return str(uuid)[:8].upper()


def mask_identity_code(code):
    """120315A123J -> 120315A***J; "" stays "" (issue 13, part 3)."""
    return f"{code[:7]}***{code[10:]}" if code else ""


# The century of a birth date by the identity code's sign (any sign of the 2023 reform).
_CENTURIES = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}


def birth_date_of(identity_code):
    """The birth date a Finnish identity code (DDMMYYCZZZQ) gives, or None."""
    try:
        return datetime.date(
            _CENTURIES[identity_code[6]] + int(identity_code[4:6]),
            int(identity_code[2:4]),
            int(identity_code[0:2]),
        )
    except (IndexError, KeyError, ValueError):
        return None


# Personal data of a request, child and assignment, with what retention writes in its
# place (common.retention). The history leaves these fields out, so retention can erase them.
REQUEST_PERSONAL_FIELDS = {
    "worker_name": ERASED,
    "worker_title": "",
    "worker_phone": "",
    "worker_email": "",
    "custodians": ERASED,
    "custodian_names": ERASED,
    "conflict_reason": ERASED,
    "matter_details": "",
    "end_reason": "",
    # The criminal investigation (ETL 4:8): the report number names the child's case, the
    # applicant is a person; the police unit and the applicant's organisation stay.
    "police_report_number": "",
    "investigation_applicant_name": "",
    "investigation_applicant_contact": "",
    # The appointment order's own wording of the mandate may describe the child's matter.
    "mandate_scope": "",
}
CHILD_PERSONAL_FIELDS = {
    "first_name": ERASED,
    "last_name": ERASED,
    "identity_code": "",
    "date_of_birth": None,
    "placement": "",
}
ASSIGNMENT_PERSONAL_FIELDS = {"decline_reason": ERASED, "end_reason": ""}
EVENT_PERSONAL_FIELDS = {"text": ""}


@pghistory.track(exclude=list(REQUEST_PERSONAL_FIELDS))
class GuardianshipRequest(UUIDModel, TimeStampedModel):
    """A social worker's request for a guardian for one child or several siblings."""

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    organisation = models.ForeignKey(
        "municipalities.Organisation",
        verbose_name=_("requesting organisation"),
        on_delete=models.PROTECT,
        related_name="guardianship_requests",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="guardianship_requests",
    )
    # Need to know (issue 13): the request belongs to its responsible worker's unit; the
    # organisation stays (a request filed before 2023 keeps its municipality), and the
    # children's municipality of residence is their own (Child.home_municipality).
    unit = models.ForeignKey(
        "municipalities.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guardianship_requests",
        help_text=_("Empty for a request filed before 2023 that no team has taken over yet."),
    )
    responsible_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible social worker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_requests",
    )
    idempotency_key = models.UUIDField(_("form key"), unique=True, null=True, editable=False)
    # The social worker responsible for the child, as contact for Pikassos and the guardian.
    worker_name = models.CharField(_("social worker's name"), max_length=200)
    worker_title = models.CharField(_("title"), max_length=200, blank=True)
    worker_phone = models.CharField(_("phone"), max_length=50)
    worker_email = models.EmailField(_("email"))
    custodians = models.TextField(
        _("custodians"), help_text=_("Names and contact details of the custodians.")
    )
    # What a proposed guardian sees of the custodians, to check for a conflict of interest.
    custodian_names = models.CharField(
        _("custodians' names"),
        max_length=300,
        blank=True,
        help_text=_(
            "Names only, without contact details: a proposed guardian sees them to check "
            "for a conflict of interest."
        ),
    )
    conflict_reason = models.TextField(
        _("why the custodians cannot act impartially"),
        help_text=_("Child Welfare Act 22 §: why a guardian is needed in this matter."),
    )
    matter = models.CharField(_("matter"), max_length=20, choices=Matter.choices)
    matter_details = models.TextField(_("details of the matter"), blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    hearing_date = models.DateField(_("hearing date"), null=True, blank=True)
    wants_lawyer = models.BooleanField(_("a lawyer is wanted"), default=False)
    wants_social_work_background = models.BooleanField(
        _("a guardian with a social-work background is wanted"), default=False
    )
    # The legal tracks (issue 14): child welfare (LSL 22 §), criminal investigation
    # (ETL 4:8) or both; reference data, guardianship.models.tracks.
    tracks = models.ManyToManyField(
        "guardianship.LegalTrack",
        through="guardianship.RequestTrack",
        verbose_name=_("legal track"),
        related_name="requests",
        help_text=_("On which legal basis the guardian is needed; both when both apply."),
    )
    # Set by the service from the tracks (tracks.payer_of); requests filed before the
    # tracks keep the payer chosen then.
    payer = models.ForeignKey(
        "municipalities.Organisation",
        verbose_name=_("who pays the fee"),
        on_delete=models.PROTECT,
        related_name="paid_guardianship_requests",
    )
    # The criminal investigation (ETL 4:8), on a track that records it. Never shown to a
    # proposed guardian (guardianship.policies.GUARDIAN_FIELDS).
    police_report_number = models.CharField(
        _("police report number"),
        max_length=50,
        blank=True,
        help_text=_("The report number (ilmoitusnumero) of the criminal investigation."),
    )
    investigating_unit = models.CharField(
        _("investigating unit"),
        max_length=200,
        blank=True,
        help_text=_("The police department and unit that investigates the offence."),
    )
    investigation_applicant = models.CharField(
        _("who applied in the criminal investigation"),
        max_length=30,
        choices=InvestigationApplicant.choices,
        blank=True,
    )
    investigation_applicant_name = models.CharField(
        _("applicant's name"), max_length=200, blank=True
    )
    investigation_applicant_organisation = models.CharField(
        _("applicant's organisation"), max_length=200, blank=True
    )
    investigation_applicant_contact = models.CharField(
        _("applicant's phone and email"), max_length=200, blank=True
    )
    sibling_request = models.ForeignKey(
        "self",
        verbose_name=_("earlier request for a sibling"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("If a sibling already has a guardian, the same guardian is preferred."),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    state_changed_at = models.DateTimeField(_("state changed"), null=True, blank=True)
    court = models.CharField(_("district court"), max_length=200, blank=True)
    application_filed_on = models.DateField(_("application filed on"), null=True, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    case_number = models.CharField(_("case number"), max_length=100, blank=True)
    # The appointment order (issue 14, part 2), as the court or authority wrote it.
    final_on = models.DateField(_("final on"), null=True, blank=True)
    interim_order = models.BooleanField(_("interim order"), default=False)
    mandate_scope = models.TextField(_("scope of the mandate"), blank=True)
    end_condition = models.CharField(
        _("end condition of the order"), max_length=30, choices=EndCondition.choices, blank=True
    )
    # When the mandate ends at the latest, so the portal can remind before it does: the
    # order's own end date, else the day the oldest child turns 18 (services.mandate_end).
    mandate_ends_on = models.DateField(_("mandate ends on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("guardianship request")
        verbose_name_plural = _("guardianship requests")
        ordering = ["-submitted_at"]
        indexes = [
            # The queue's order (urgent first, then the oldest), read in index order so a
            # page costs the same whether 100 or 100 000 requests are open.
            models.Index(
                fields=["-urgency", "submitted_at", "id"],
                condition=Q(state__in=QUEUE_STATES),
                name="request_open_queue_idx",
            ),
            models.Index(
                fields=["organisation", "-urgency", "submitted_at", "id"],
                condition=Q(state__in=QUEUE_STATES),
                name="request_org_queue_idx",
            ),
            models.Index(
                fields=["state", "-urgency", "submitted_at", "id"], name="request_queue_idx"
            ),
            models.Index(
                fields=["unit", "-urgency", "submitted_at", "id"],
                condition=Q(state__in=QUEUE_STATES),
                name="request_unit_queue_idx",
            ),
            models.Index(fields=["organisation", "state", "submitted_at"], name="request_org_idx"),
            # The home page's count of open requests by state, as an index-only scan.
            models.Index(
                fields=["state", "organisation"],
                condition=Q(state__in=QUEUE_STATES),
                name="request_open_state_idx",
            ),
            models.Index(fields=["matter", "submitted_at"], name="request_matter_idx"),
            models.Index(fields=["-submitted_at"], name="request_submitted_idx"),
            models.Index(fields=["payer", "state"], name="request_payer_idx"),
        ]
        constraints = [
            # A draft, or a draft cancelled before it was sent, has no submission time.
            models.CheckConstraint(
                condition=Q(state__in=[State.DRAFT, State.CANCELLED])
                | Q(submitted_at__isnull=False),
                name="request_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.APPOINTED) | Q(decision_date__isnull=False),
                name="request_appointed_has_decision",
            ),
            # The order became final on or after the day it was given.
            models.CheckConstraint(
                condition=Q(final_on__isnull=True)
                | Q(decision_date__isnull=True)
                | Q(final_on__gte=F("decision_date")),
                name="request_final_not_before_decision",
                violation_error_message=_("The order cannot become final before it was given."),
            ),
            # The serving guardian's order was given on or after the application's filing
            # (after a reassignment, the next filing precedes the next order).
            models.CheckConstraint(
                condition=~Q(state__in=[State.APPOINTED, State.ENDED])
                | Q(decision_date__isnull=True)
                | Q(application_filed_on__isnull=True)
                | Q(decision_date__gte=F("application_filed_on")),
                name="request_decision_not_before_filing",
                violation_error_message=_(
                    "The decision cannot be earlier than the filing of the application."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_condition="") | Q(end_condition__in=EndCondition.values),
                name="request_end_condition_known",
            ),
            models.CheckConstraint(
                condition=Q(investigation_applicant="")
                | Q(investigation_applicant__in=InvestigationApplicant.values),
                name="request_investigation_applicant_known",
            ),
        ]

    def __str__(self):
        return str(_("Request %(ref)s") % {"ref": self.reference})

    @property
    def reference(self):
        return short_reference(self.uuid)

    def get_absolute_url(self):
        return reverse("guardianship:request_detail", kwargs={"uuid": self.uuid})

    def _track_list(self):
        if not hasattr(self, "track_list"):
            self.track_list = [
                {"name": t.name, "name_sv": t.name_sv, "default_court": t.default_court}
                for t in self.tracks.all()
            ]
        return self.track_list

    @property
    def track_names(self):
        """The names of the request's legal tracks in the user's language, in order."""
        swedish = get_language() == "sv"
        return [(row["name_sv"] if swedish else "") or row["name"] for row in self._track_list()]

    @property
    def default_court(self):
        """The court the application goes to: the first track's default court."""
        rows = self._track_list()
        return rows[0]["default_court"] if rows else DEFAULT_COURT

    def days_waiting(self, today=None):
        if not self.submitted_at:
            return 0
        return ((today or timezone.now()) - self.submitted_at).days


# A child's history keeps only what statistics need: none of CHILD_PERSONAL_FIELDS.
@pghistory.track(
    fields=["request", "home_municipality", "language", "anonymised_at"], model_name="ChildEvent"
)
class Child(UUIDModel):
    """A child of a request. Several children of one request are siblings."""

    request = models.ForeignKey(
        GuardianshipRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="children",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    identity_code = models.CharField(
        _("personal identity code"),
        max_length=11,
        blank=True,
        help_text=_("For example 010115A123B. Leave empty if the child has none."),
    )
    date_of_birth = models.DateField(
        _("date of birth"), null=True, blank=True, help_text=_("Needed when there is no code.")
    )
    home_municipality = models.ForeignKey(
        "municipalities.Organisation",
        verbose_name=_("home municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.FINNISH
    )
    placement = models.CharField(_("current placement"), max_length=300, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["request", "id"]
        indexes = [models.Index(fields=["identity_code"], name="child_identity_code_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(identity_code="")
                | Q(date_of_birth__isnull=False)
                | Q(anonymised_at__isnull=False),
                name="child_code_or_birth_date",
                violation_error_message=_("Give the identity code or the date of birth."),
            ),
            models.CheckConstraint(
                condition=Q(identity_code="")
                | Q(identity_code__regex=r"^[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Y]$"),
                name="child_identity_code_format",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def birth_date(self):
        """The date of birth, or the one the identity code gives, or None."""
        return self.date_of_birth or birth_date_of(self.identity_code)

    @property
    def age(self):
        """Full years today (Helsinki), or None when the birth date is unknown."""
        born, today = self.birth_date, timezone.localdate()
        if born is None:
            return None
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def has_temporary_code(self):
        """Individual numbers 900-999 are temporary codes (e.g. a newly arrived minor)."""
        return bool(self.identity_code) and int(self.identity_code[7:10]) >= 900

    @property
    def masked_identity_code(self):
        """The code as every page, export and admin view shows it: the date and century
        sign, `***` for the individual number, the check character (120315A***J). The full
        code is shown only on purpose, logged (AccessAction.REVEAL)."""
        return mask_identity_code(self.identity_code)


@pghistory.track(exclude=list(ASSIGNMENT_PERSONAL_FIELDS))
class Assignment(UUIDModel):
    """A guardian proposed for, then serving, a request. Never deleted, only ended."""

    # A guardian sees a request while proposed or serving; once their assignment ends it
    # is gone from their lists and pages (fee claims keep what they need: issue 13).
    VISIBLE_TO_GUARDIAN = [AssignmentStatus.PROPOSED, AssignmentStatus.ACTIVE]

    request = models.ForeignKey(
        GuardianshipRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    guardian = models.ForeignKey(
        "guardianship.Guardian",
        verbose_name=_("guardian"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)
    # The court's release of a replaced guardian (issue 14, part 2), on the ended assignment.
    released_on = models.DateField(_("released by the court on"), null=True, blank=True)
    release_decision = models.CharField(
        _("release decision"),
        max_length=200,
        blank=True,
        help_text=_("The court's decision releasing the guardian: its case number."),
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-proposed_at"]
        indexes = [
            models.Index(fields=["guardian", "status"], name="assignment_guardian_idx"),
            models.Index(fields=["request", "status"], name="assignment_request_idx"),
        ]
        constraints = [
            # One pending or serving guardian per request, even under concurrent proposals.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=[AssignmentStatus.PROPOSED, AssignmentStatus.ACTIVE]),
                name="assignment_one_current_per_request",
            ),
            models.CheckConstraint(
                condition=~Q(status=AssignmentStatus.DECLINED) | ~Q(decline_reason=""),
                name="assignment_decline_has_reason",
            ),
            # Only a guardian whose assignment has ended is released.
            models.CheckConstraint(
                condition=Q(status=AssignmentStatus.ENDED)
                | (Q(released_on__isnull=True) & Q(release_decision="")),
                name="assignment_release_only_when_ended",
            ),
        ]

    def __str__(self):
        return f"{self.guardian} – {self.request.reference}"


class RequestEvent(AppendOnlyModel):
    """One entry of a request's timeline: a step, a note or a contact."""

    request = models.ForeignKey(
        GuardianshipRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    action = models.CharField(_("action"), max_length=40, blank=True, choices=StepName.choices)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    text = models.TextField(_("text"), blank=True)
    # A note meant for the guardian too; other notes are the authorities' own (issue 13).
    for_guardian = models.BooleanField(_("shown to the guardian"), default=False)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["request", "at"], name="event_request_idx")]

    def __str__(self):
        return f"{self.request.reference} {self.action or self.kind} {self.at:%Y-%m-%d}"
