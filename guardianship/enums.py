from django.db import models
from django.utils.translation import gettext_lazy as _


# The languages of a guardian of the pool (Guardian.languages). A child's mother tongue is
# any ISO 639 code (guardianship.languages).
class Language(models.TextChoices):
    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Other language")


class CustodianRelation(models.TextChoices):
    """A custodian's (huoltaja) relation to the child: a parent, or another person the
    court has made custodian (lapsenhuoltolaki 361/1983 9 §)."""

    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    PARENT = "parent", _("Parent")
    OTHER = "other", _("Other custodian")


class Background(models.TextChoices):
    LAWYER = "lawyer", _("Lawyer")
    SOCIAL_WORK = "social_work", _("Social work")
    OTHER = "other", _("Other")


class Availability(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    INACTIVE = "inactive", _("Inactive")


class Matter(models.TextChoices):
    CARE_ORDER = "care_order", _("Taking into care")
    SUBSTITUTE_CARE = "substitute_care", _("Substitute care")
    OPEN_CARE = "open_care", _("Open care")
    AFTER_CARE = "after_care", _("After-care")
    CRIMINAL = "criminal", _("Criminal investigation")
    OTHER = "other", _("Other matter")


class ApplicantKind(models.TextChoices):
    """Who may apply for a guardian on a legal track (`LegalTrack.applicant_kinds`)."""

    RESPONSIBLE_SOCIAL_WORKER = "responsible_social_worker", _("Responsible social worker")
    HEAD_OF_INVESTIGATION = "head_of_investigation", _("Head of investigation")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    SOCIAL_AUTHORITY = "social_authority", _("Social welfare authority")
    GUARDIANSHIP_AUTHORITY = "guardianship_authority", _("Guardianship authority")
    CUSTODIAN = "custodian", _("Custodian")


class InvestigationApplicant(models.TextChoices):
    """Who applied for a guardian for the criminal investigation (ETL 4:8), as recorded on
    a request: the head of investigation usually, or the prosecutor or the social welfare
    authority."""

    HEAD_OF_INVESTIGATION = ApplicantKind.HEAD_OF_INVESTIGATION.value, _("Head of investigation")
    PROSECUTOR = ApplicantKind.PROSECUTOR.value, _("Prosecutor")
    SOCIAL_AUTHORITY = ApplicantKind.SOCIAL_AUTHORITY.value, _("Social welfare authority")


class AppointingBody(models.TextChoices):
    DISTRICT_COURT = "district_court", _("District court")
    # Digi- ja väestötietovirasto acts as the guardianship authority (since 2020).
    GUARDIANSHIP_AUTHORITY = (
        "guardianship_authority",
        _("Guardianship authority (Digital and Population Data Services Agency)"),
    )


class EndCondition(models.TextChoices):
    """When a guardian's mandate ends: a legal track's conditions, and the condition an
    appointment order states."""

    MATTER_RESOLVED = "matter_resolved", _("The child-protection matter is resolved")
    CRIMINAL_CASE_ENDS = "criminal_case_ends", _("The criminal case ends")
    AGE_OF_MAJORITY = "age_of_majority", _("The child turns 18")
    OTHER = "other", _("Other (as the order words it)")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECEIVED = "received", _("Received")
    SEARCHING = "searching", _("Searching for a guardian")
    PROPOSED = "proposed", _("Guardian proposed")
    CONSENT_GIVEN = "consent_given", _("Consent given")
    APPLICATION_FILED = "application_filed", _("Application filed")
    APPOINTED = "appointed", _("Appointed")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = [
    State.RECEIVED,
    State.SEARCHING,
    State.PROPOSED,
    State.CONSENT_GIVEN,
    State.APPLICATION_FILED,
    State.APPOINTED,
]
# What the request lists show by default: drafts (their own organisation's only) and
# open requests. Views filter with exactly this list so the partial indexes apply.
QUEUE_STATES = [State.DRAFT, *OPEN_STATES]
# States in which the request still waits for a guardian to say yes.
UNMATCHED_STATES = [State.RECEIVED, State.SEARCHING, State.PROPOSED]


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class EventKind(models.TextChoices):
    STEP = "step", _("Step")
    NOTE = "note", _("Note")
    CONTACT = "contact", _("Contact")


class AccessAction(models.TextChoices):
    VIEW = "view", _("View")
    LIST = "list", _("List")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    EXPORT = "export", _("Export")
    # A full identity code shown on purpose (codes are masked by default).
    REVEAL = "reveal", _("Identity code revealed")
    # Data handed on outside the portal: an e-mail naming a request (recipient recorded).
    DISCLOSE = "disclose", _("Disclosure")


class AccessBasis(models.TextChoices):
    """Why a user was let in (client-data act 703/2023: access only on the basis of a
    client relationship or a work task). Written on every allowed access-log row by the
    policy that let the user in; a refusal has none."""

    RESPONSIBLE_WORKER = "responsible_worker", _("Responsible social worker")
    TEAM_MEMBER = "team_member", _("Social worker of the responsible team")
    TEAM_LEADER = "team_leader", _("Team leader of the responsible unit")
    COORDINATOR = "coordinator", _("Guardianship coordinator")
    PROPOSED_GUARDIAN = "proposed_guardian", _("Proposed guardian")
    APPOINTED_GUARDIAN = "appointed_guardian", _("Appointed guardian")
    FORMER_GUARDIAN = "former_guardian", _("Former guardian (fee claim)")
    PAYER = "payer", _("Official of the paying organisation")
    ADMIN = "admin", _("System administrator")


class AccessOutcome(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    REFUSED = "refused", _("Refused")


class StepName(models.TextChoices):
    # The labels are what the timeline and the "Saved: …" message say.
    SUBMIT = "submit", _("Submitted")
    START_SEARCH = "start_search", _("Search started")
    PROPOSE = "propose", _("Guardian proposed")
    WITHDRAW = "withdraw", _("Proposal withdrawn")
    ACCEPT = "accept", _("Consent given")
    DECLINE = "decline", _("Proposal declined")
    FILE_APPLICATION = "file_application", _("Application filed")
    RECORD_APPOINTMENT = "record_appointment", _("Appointed")
    END = "end", _("Ended")
    CANCEL = "cancel", _("Cancelled")
    REASSIGN = "reassign", _("Guardian reassigned")
    # Responsibility handed to another social worker or team (issue 13).
    TRANSFER = "transfer", _("Responsibility transferred")


class Actor(models.TextChoices):
    """The part a user plays in one request (`guardianship.policies.acts_as`)."""

    COORDINATOR = "coordinator", _("Guardianship coordinator")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    TEAM_LEADER = "team_leader", _("Team leader")
    GUARDIAN = "guardian", _("Guardian")
