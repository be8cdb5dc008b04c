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
from django.db.models.functions import Cast, JSONObject, Left, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.models import AppendOnlyModel, TimeStampedModel, UUIDModel, VersionedModel
from common.retention import ERASED
from guardianship.enums import (
    QUEUE_STATES,
    AssignmentStatus,
    CustodianRelation,
    EndCondition,
    EventKind,
    InvestigationApplicant,
    Matter,
    State,
    StepName,
    Urgency,
)
from guardianship.languages import name as language_name
from guardianship.languages import validate_language_code
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

    def with_custodians(self):
        """Each request's custodian rows read in the same query, as a subquery
        (`custodian_rows`), so a request's page costs no query more for them
        (`GuardianshipRequest.custodian_list`)."""
        return self.annotate(custodian_rows=custodian_rows("pk"))

    def open_by_state(self):
        """(state, count) of the open requests and drafts, read from
        request_open_state_idx alone: COUNT(*), since COUNT(id) would visit every row."""
        return (
            self.filter(state__in=QUEUE_STATES)
            .values_list("state")
            .annotate(n=Count("*"))
            .order_by()
        )


# The columns of a custodian row read with its request (`custodian_rows`).
CUSTODIAN_COLUMNS = (
    "id",
    "name",
    "relation",
    "phone",
    "email",
    "address",
    "affected_by_conflict",
    "suspect",
    "non_disclosure",
)


def custodian_rows(request_ref):
    """The custodian rows of the request `request_ref` names (an outer query's column),
    in order, as an array of JSON objects: one subquery, no query of its own."""
    rows = (
        Custodian.objects.filter(request=OuterRef(request_ref))
        .order_by("id")
        .values(row=JSONObject(**{name: name for name in CUSTODIAN_COLUMNS}))
    )
    return ArraySubquery(rows)


def short_reference(uuid):
    """A short reference for people to quote, without personal data."""
    return str(uuid)[:8].upper()


def short_reference_sql(field):
    """short_reference of the UUID `field`, computed by PostgreSQL (for exports of
    thousands of rows): its text form is the same lower-case, hyphenated one as str()'s."""
    return Upper(Left(Cast(field, models.TextField()), 8))


def mask_identity_code(code):
    """120315A123J -> 120315A***J; "" stays "" (issue 13, part 3)."""
    return f"{code[:7]}***{code[10:]}" if code else ""


# The century of a birth date by the identity code's sign (any sign of the 2023 reform).
_CENTURIES = {"+": 1800, **dict.fromkeys("-YXWVU", 1900), **dict.fromkeys("ABCDEF", 2000)}


def birth_date_of(identity_code):
    """The birth date a Finnish identity code (DDMMYYCZZZQ) gives, or None. Only the date
    and the century sign are read: the first seven characters are enough."""
    try:
        return datetime.date(
            _CENTURIES[identity_code[6]] + int(identity_code[4:6]),
            int(identity_code[2:4]),
            int(identity_code[0:2]),
        )
    except (IndexError, KeyError, ValueError):
        return None


def age_on(born, day):
    """Full years of a person born on `born` on `day`, or None when `born` is unknown."""
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_label(age):
    """An age as the pages show it: "12 v." in Finnish, "12 år" in Swedish."""
    return _("age %(age)s") % {"age": age}


# Child Welfare Act (lastensuojelulaki 417/2007), chapter 4, "Lapsen osallisuus":
# - 20 § (lapsen mielipiteen selvittäminen ja kuuleminen): the child's wishes and views are
#   ascertained at every age, as the child's age and development allow; a child aged 12
#   or more must be given the chance to be heard (hallintolaki 434/2003 34 §) in a
#   child-welfare matter that concerns them;
# - 21 § (lapsen puhevallan käyttö): a child aged 12 or more may exercise the right to be
#   heard (puhevalta) alone, beside the custodian or other legal representative, in a
#   child-welfare matter that concerns them.
# https://www.finlex.fi/fi/laki/ajantasa/2007/20070417#L4P20 and #L4P21; the age limit and
# the difference between ascertaining the view and hearing the child restated by
# A. Ahlberg, "Lapsen mielipiteen selvittäminen ja oikeus tulla kuulluksi
# lastensuojeluasiassa" (University of Lapland, 2019).
HEARING_AGE = 12


# Personal data of a request, child and assignment, with what retention writes in its
# place (common.retention). The history leaves these fields out, so retention can erase them.
REQUEST_PERSONAL_FIELDS = {
    "worker_name": ERASED,
    "worker_title": "",
    "worker_phone": "",
    "worker_email": "",
    "custodian_notes": ERASED,
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
    "child_view": ERASED,
}
# A custodian's name and contacts; whether they are suspected of the offence is data on a
# criminal matter about a person (GDPR art. 10): erased too, and never in the history.
CUSTODIAN_PERSONAL_FIELDS = {
    "name": ERASED,
    "phone": "",
    "email": "",
    "address": "",
    "suspect": False,
}
ASSIGNMENT_PERSONAL_FIELDS = {"decline_reason": ERASED, "end_reason": ""}
EVENT_PERSONAL_FIELDS = {"text": ""}


@pghistory.track(exclude=list(REQUEST_PERSONAL_FIELDS))
class GuardianshipRequest(UUIDModel, TimeStampedModel, VersionedModel):
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
    # The custodians themselves are rows (Custodian, issue 14 part 4); this is what the
    # rows do not say. Requests filed before the rows keep their free text here.
    custodian_notes = models.TextField(
        _("other information about the custodians"),
        blank=True,
        help_text=_(
            "What the rows above do not tell, e.g. how to reach a custodian. Addresses go on "
            "the custodian's row, where a non-disclosure hides them."
        ),
    )
    # The custodians' names as the request form asked them before the custodians were
    # rows (migration 0016 to 0020). Migration 0020 made rows of the names it could split
    # reliably; the names of other requests stay here and are shown in place of the rows
    # (`custodian_name_list`). The form no longer asks for it.
    custodian_names = models.CharField(
        _("custodians' names (before the custodians were rows)"),
        max_length=300,
        blank=True,
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
        # A draft may not have its legal track yet (issue 16); a sent request has a payer.
        null=True,
        blank=True,
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
    # The end date the last reminder was sent for (remind_mandate_ends): one reminder per
    # date, and a new one when the court's order moves it.
    mandate_reminded_for = models.DateField(
        _("mandate end reminded for"), null=True, blank=True, editable=False
    )
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
            # The queue's other orders (guardianship.listing.SORTS, issue 16): the days
            # waiting (either way), the hearing date and the deadline (undated last).
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(state__in=QUEUE_STATES),
                name="request_open_submitted_idx",
            ),
            models.Index(
                fields=["hearing_date", "id"],
                condition=Q(state__in=QUEUE_STATES),
                name="request_open_hearing_idx",
            ),
            models.Index(
                fields=["deadline", "id"],
                condition=Q(state__in=QUEUE_STATES),
                name="request_open_deadline_idx",
            ),
            models.Index(fields=["organisation", "state", "submitted_at"], name="request_org_idx"),
            # The home page's count of open requests by state, and the coordinator's of
            # those waiting too long (pikassos_portal.views.needs_action), as index-only
            # scans: reading the rows cost 8 ms a visit at 100 000 requests (issue 18).
            # The creator, responsible worker and unit are the social worker's and team
            # leader's scopes (policies.requests_for): 36 ms -> 6 for 8 000 requests.
            models.Index(
                fields=["state", "organisation"],
                include=["submitted_at", "id", "created_by", "responsible_worker", "unit"],
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
            # Only a draft (or one cancelled before it was sent) may lack its payer.
            models.CheckConstraint(
                condition=Q(state__in=[State.DRAFT, State.CANCELLED]) | Q(payer__isnull=False),
                name="request_sent_has_payer",
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

    @property
    def custodian_list(self):
        """The custodian rows: read with the request where the queryset did so
        (`with_custodians`), else in one query; kept for the rest of the page."""
        if not hasattr(self, "_custodian_list"):
            if hasattr(self, "custodian_rows"):
                self._custodian_list = [
                    Custodian(request_id=self.pk, **row) for row in self.custodian_rows
                ]
            else:
                self._custodian_list = list(self.custodians.order_by("id"))
        return self._custodian_list

    @property
    def custodian_name_list(self):
        """The custodians' names, what a proposed guardian sees to check for a conflict of
        interest: from the rows, or for a request filed before the rows, its old text."""
        names = [c.name for c in self.custodian_list]
        if not names and self.custodian_names:
            names = [self.custodian_names]
        return names

    @property
    def has_non_disclosure(self):
        """A child or a custodian of the request has a non-disclosure for personal safety
        (turvakielto): the request's pages warn everyone who sees it, and addresses are
        hidden (guardianship.policies.sees_protected_addresses). From the prefetched
        children where the page has them."""
        return any(c.non_disclosure for c in self.children.all()) or any(
            c.non_disclosure for c in self.custodian_list
        )


# A child's history keeps only what statistics and an audit need, none of
# CHILD_PERSONAL_FIELDS: who turned a non-disclosure off, and when, is such a question.
@pghistory.track(
    fields=[
        "request",
        "home_municipality",
        "mother_tongue",
        "interpreter_needed",
        "non_disclosure",
        "anonymised_at",
    ],
    model_name="ChildEvent",
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
        # Empty only on a draft, which is saved with what is typed (issue 16); submitting
        # requires it (services.missing_for_submit).
        null=True,
    )
    # An ISO 639 code (guardianship.languages); empty when not known, as for the requests
    # filed with "other language" before the codes (migration 0020).
    mother_tongue = models.CharField(
        _("mother tongue"),
        max_length=8,
        blank=True,
        validators=[validate_language_code],
    )
    interpreter_needed = models.BooleanField(_("an interpreter is needed"), default=False)
    # Turvakielto: a non-disclosure for personal safety in the population register (Act
    # 661/2009 36 §): the home municipality, place of residence, address and other
    # contact details are disclosed only to authorities.
    non_disclosure = models.BooleanField(
        _("non-disclosure for personal safety (turvakielto)"), default=False
    )
    placement = models.CharField(_("current placement"), max_length=300, blank=True)
    child_view = models.TextField(
        _("the child's view"),
        blank=True,
        help_text=_(
            "The child's wishes and views in the matter, as the child's age and development "
            "allow (Child Welfare Act 20 §). A child aged 12 or more must be given the chance "
            "to be heard, and may use the right to be heard alone (20–21 §)."
        ),
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["request", "id"]
        indexes = [
            models.Index(fields=["identity_code"], name="child_identity_code_idx"),
            # The lists' turvakielto badge asks of every row whether any child has one:
            # a few per cent do, so a partial index answers it without reading them all
            # (a scan of every child on every queue page at the region's volume; issue 18).
            models.Index(
                fields=["request"], condition=Q(non_disclosure=True), name="child_protected_idx"
            ),
        ]
        constraints = [
            # A code or a date of birth is required when the request is submitted
            # (services.missing_for_submit), not of a draft's child (issue 16).
            models.CheckConstraint(
                condition=Q(identity_code="")
                | Q(identity_code__regex=r"^[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Y]$"),
                name="child_identity_code_format",
            ),
            models.CheckConstraint(
                condition=Q(mother_tongue__regex=r"^([a-z]{2,3})?$"),
                name="child_mother_tongue_code",
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
        return age_on(self.birth_date, timezone.localdate())

    @property
    def age_label(self):
        """ "12 v.", or "" when the birth date is unknown."""
        age = self.age
        return "" if age is None else age_label(age)

    @property
    def may_be_heard(self):
        """Aged 12 or more: the child has a right of their own to be heard (LSL 20–21 §,
        HEARING_AGE)."""
        age = self.age
        return age is not None and age >= HEARING_AGE

    @property
    def mother_tongue_name(self):
        """The mother tongue's name in the user's language, e.g. "somali"."""
        return language_name(self.mother_tongue)

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


# What a custodian's history keeps: none of CUSTODIAN_PERSONAL_FIELDS.
@pghistory.track(
    fields=["request", "relation", "affected_by_conflict", "non_disclosure"],
    model_name="CustodianEvent",
)
class Custodian(models.Model):
    """A custodian (huoltaja) of the children of a request (issue 14, part 4): whose
    impartiality is in question, and, on the criminal-investigation track, whether they
    are suspected of the offence. What each reader sees of them is declared in
    guardianship.policies (`custodian_names`, `custodians`, `custodian_conflict`)."""

    request = models.ForeignKey(
        GuardianshipRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="custodians",
    )
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(
        _("relation to the child"),
        max_length=20,
        choices=CustodianRelation.choices,
        # Empty only on the rows migration 0020 made of the names given before the rows.
        blank=True,
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    affected_by_conflict = models.BooleanField(
        _("cannot act impartially in the matter"),
        default=False,
        help_text=_("The conflict of interest concerns this custodian (LSL 22 §, ETL 4:8)."),
    )
    suspect = models.BooleanField(
        _("suspected of the offence"),
        default=False,
        help_text=_("Only on the criminal-investigation track (ETL 4:8)."),
    )
    non_disclosure = models.BooleanField(
        _("non-disclosure for personal safety (turvakielto)"), default=False
    )

    class Meta:
        verbose_name = _("custodian")
        verbose_name_plural = _("custodians")
        ordering = ["request", "id"]
        indexes = [
            models.Index(
                fields=["request"],
                condition=Q(non_disclosure=True),
                name="custodian_protected_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(relation="") | Q(relation__in=CustodianRelation.values),
                name="custodian_relation_known",
            ),
        ]

    def __str__(self):
        return self.name


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
            # Each guardian's load (GuardianQuerySet.with_load) counted from the index
            # alone: the matching page counts it for every available guardian (issue 18).
            models.Index(
                fields=["guardian"],
                condition=Q(status=AssignmentStatus.ACTIVE),
                name="assignment_active_idx",
            ),
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
