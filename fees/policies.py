"""Who may see, make, decide and export fee claims."""

from django.db.models import Exists, OuterRef, Q

from accounts.policies import has_role, holds_role, is_coordinator, signed_in
from accounts.roles import Role
from fees.enums import ClaimStatus
from fees.models import FeeClaim
from guardianship import policies as guardianship
from guardianship.enums import AccessBasis, AssignmentStatus
from guardianship.models import Assignment, GuardianshipRequest
from municipalities.models import Organisation

# A fee is claimed for an appointed case, or one that has since ended.
CLAIMABLE_STATES = guardianship.CLAIMABLE_STATES


# What the payer's official sees of their organisation's claims: approved ones, to pay,
# and those paid.
PAYER_STATES = [ClaimStatus.APPROVED, ClaimStatus.PAID]


def claims_for(user, queryset=None):
    """Coordinators see every claim; a guardian their own; a payer's official the
    approved and paid claims their organisation pays; nobody else any."""
    queryset = FeeClaim.objects.all() if queryset is None else queryset
    if not signed_in(user):
        return queryset.none()
    if is_coordinator(user):
        return queryset
    scope = Q(pk__in=[])
    if holds_role(user, Role.GUARDIAN):
        scope |= Q(assignment__guardian__user=user)
    if holds_role(user, Role.PAYER):
        scope |= Q(
            status__in=PAYER_STATES,
            # The ids themselves, not a subquery: the planner then knows how many claims
            # the county pays and walks the newest first instead of joining them all.
            assignment__request__payer_id__in=sorted(user.organisation_ids),
        )
    return queryset.filter(scope)


def can_see_claims(user) -> bool:
    return has_role(user, Role.COORDINATOR, Role.GUARDIAN, Role.PAYER)


def can_claim(user) -> bool:
    """Making and correcting claims: guardians, for their own appointed cases."""
    return holds_role(user, Role.GUARDIAN)


def claimable_assignments(user):
    """The guardian's appointed cases, the only ones a fee can be claimed for: those they
    serve, and those that ended less than GUARDIAN_ENDED_CLAIM_MONTHS ago."""
    return (
        Assignment.objects.filter(guardian__user=user)
        .filter(
            Q(status=AssignmentStatus.ACTIVE, request__state__in=CLAIMABLE_STATES)
            | guardianship.former_cases()
        )
        .select_related("request")
    )


def contact_assignments(user):
    """The cases whose contacts the guardian records and sees: those a fee can be claimed
    for (a contact remembered late can still be written down while a claim can be made)."""
    return claimable_assignments(user)


def contact_basis(assignment) -> str:
    """The guardian's basis for their own contact log of `assignment` (appointed or former
    guardian), for the access log."""
    return guardianship.GUARDIAN_BASIS.get(assignment.status, "")


def made_claim(user, claim) -> bool:
    """Only the guardian who made a claim may correct it."""
    return claim.assignment.guardian.user_id == user.pk


def claim_shows_children(user, claim) -> bool:
    """A guardian whose assignment has ended sees of their claims only what the claim
    needs (the request's reference and case number), not the children."""
    return not (made_claim(user, claim) and claim.assignment.status != AssignmentStatus.ACTIVE)


def can_correct_claim(user, claim) -> bool:
    return claim.status == ClaimStatus.RETURNED and made_claim(user, claim)


def can_decide_claim(user) -> bool:
    return is_coordinator(user)


def can_export_claims(user) -> bool:
    return has_role(user, Role.COORDINATOR, Role.PAYER)


def can_mark_paid(user) -> bool:
    """Marking claims paid: the official of the organisation that pays them, only (not the
    coordinator, not the administrator: the payment is the payer's own record)."""
    return holds_role(user, Role.PAYER)


def payable_claims(user):
    """The approved, unpaid claims `user` may mark paid: those their organisations pay."""
    if not can_mark_paid(user):
        return FeeClaim.objects.none()
    return FeeClaim.objects.filter(
        status=ClaimStatus.APPROVED, assignment__request__payer_id__in=sorted(user.organisation_ids)
    )


def payment_scope(user):
    """The claims the payment form takes: those `user` may mark paid and those their
    organisations have paid (reported as paid already, not refused)."""
    if not can_mark_paid(user):
        return FeeClaim.objects.none()
    return FeeClaim.objects.filter(
        status__in=PAYER_STATES, assignment__request__payer_id__in=sorted(user.organisation_ids)
    )


def pays_claim(user, claim) -> bool:
    """`user` is an official of the organisation that pays `claim` (its request's payer)."""
    return can_mark_paid(user) and claim.assignment.request.payer_id in user.organisation_ids


def payers_for(user):
    """The paying organisations whose approved claims `user` may export."""
    if not signed_in(user):
        return Organisation.objects.none()
    if is_coordinator(user):
        # EXISTS, one index probe per organisation: a DISTINCT over the join read every
        # request (87 ms at 100 000 requests, on every visit to the claims list; issue 18).
        pays = GuardianshipRequest.objects.filter(payer=OuterRef("pk"))
        return Organisation.objects.filter(Exists(pays))
    return user.organisations.all()


def claim_basis(user, claim) -> str:
    """Why `user` may see `claim` (an AccessBasis, for the access log), or "": the
    coordinator or the administrator by their task, the claim's guardian as appointed
    (or, once the assignment has ended, former) guardian, the payer's official for an
    approved or paid claim their organisation pays. `claim` has its assignment and request."""
    if not signed_in(user):
        return ""
    if holds_role(user, Role.COORDINATOR):
        return AccessBasis.COORDINATOR
    if user.is_superuser:
        return AccessBasis.ADMIN
    assignment = claim.assignment
    if holds_role(user, Role.GUARDIAN) and assignment.guardian.user_id == user.pk:
        return guardian_basis(assignment)
    if (
        holds_role(user, Role.PAYER)
        and claim.status in PAYER_STATES
        and assignment.request.payer_id in user.organisation_ids
    ):
        return AccessBasis.PAYER
    return ""


def guardian_basis(assignment) -> str:
    """The part of a claim's guardian in its request: appointed, or once the assignment
    has ended, former guardian (for the access log, also of e-mails to them)."""
    if assignment.status == AssignmentStatus.ACTIVE:
        return AccessBasis.APPOINTED_GUARDIAN
    return AccessBasis.FORMER_GUARDIAN


def claim_bases(user, claims) -> dict:
    """{request id: AccessBasis} for a list or export of `claims` (within `claims_for`):
    `log_access` takes it as the basis of each child's row."""
    bases = {}
    for claim in claims:
        basis = claim_basis(user, claim)
        if basis:
            bases.setdefault(claim.assignment.request_id, basis)
    return bases


# The guardian's payee details (fees.Payee): their own to edit; coordinators see them.


def can_edit_payee(user) -> bool:
    """A guardian edits their own payee details (the administrator is no guardian)."""
    return holds_role(user, Role.GUARDIAN)


def can_see_payees(user) -> bool:
    return has_role(user, Role.COORDINATOR, Role.GUARDIAN)


def may_see_payee(user, guardian) -> bool:
    """Coordinators see every guardian's payee details; a guardian only their own."""
    return is_coordinator(user) or (
        holds_role(user, Role.GUARDIAN)
        and guardian.user_id is not None
        and guardian.user_id == user.pk
    )
