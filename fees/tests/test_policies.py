"""Direct tests of fees.policies: the claim scope and the yes/no questions."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.policy_users import USERS, policy_table, user_for
from conftest import make_user
from fees import policies
from fees.enums import ClaimStatus
from fees.factories import FeeClaimFactory
from fees.models import FeeClaim
from guardianship.enums import AssignmentStatus, State
from guardianship.factories import GuardianFactory, GuardianshipRequestFactory
from guardianship.models import Assignment
from municipalities.models import Organisation

pytestmark = pytest.mark.django_db


test_policy = policy_table(
    policies,
    {
        "can_see_claims": "coordinator guardian payer superuser",
        "can_claim": "guardian",
        "can_decide_claim": "coordinator superuser",
        "can_export_claims": "coordinator payer superuser",
        "can_edit_payee": "guardian",
        "can_see_payees": "coordinator guardian superuser",
    },
)


def case(
    guardian, payer="satakunnan-hyvinvointialue", state=State.APPOINTED, status=None, **fields
):
    request = GuardianshipRequestFactory(
        state=state,
        decision_date=datetime.date(2026, 1, 10),
        payer=Organisation.objects.get(slug=payer),
        children=0,
    )
    return Assignment.objects.create(
        request=request,
        guardian=guardian,
        status=status or AssignmentStatus.ACTIVE,
        proposed_by=guardian.user,
        **fields,
    )


def claim(assignment, status):
    # A quarter of 2025 each: two claims of one case never overlap (issue 15, part 2).
    quarter = FeeClaim.objects.filter(assignment=assignment).count()
    return FeeClaimFactory(
        assignment=assignment,
        period_start=datetime.date(2025, 1 + 3 * quarter, 1),
        period_end=datetime.date(2025, 3 + 3 * quarter, 28),
        returned=status == ClaimStatus.RETURNED,
        approved=status == ClaimStatus.APPROVED,
    )


@pytest.fixture
def claims(guardian_user):
    mine = case(GuardianFactory(user=guardian_user))
    other = GuardianFactory(user=make_user("guardian", username="other-guardian"))
    county = case(other)
    rauma = case(other, payer="rauma")
    return {
        "mine_submitted": claim(mine, ClaimStatus.SUBMITTED),
        "mine_approved": claim(mine, ClaimStatus.APPROVED),
        "mine_returned": claim(mine, ClaimStatus.RETURNED),
        "county_submitted": claim(county, ClaimStatus.SUBMITTED),
        "county_returned": claim(county, ClaimStatus.RETURNED),
        "county_approved": claim(county, ClaimStatus.APPROVED),
        "rauma_approved": claim(rauma, ClaimStatus.APPROVED),
    }


ALL = "mine_submitted mine_approved mine_returned county_submitted county_returned"
ALL += " county_approved rauma_approved"
SCOPES = {
    "anonymous": "",
    "coordinator": ALL,
    "planner": "",
    "sw_pori": "",
    "team_leader": "",
    "guardian": "mine_submitted mine_approved mine_returned",
    # Only approved claims, only of the organisation that pays them.
    "payer": "mine_approved county_approved",
    "superuser": ALL,
    "none": "",
}


@pytest.mark.parametrize("key", USERS)
def test_claims_for(key, claims, request):
    user = user_for(key, request)
    seen = set(policies.claims_for(user).values_list("pk", flat=True))
    assert seen == {claims[name].pk for name in SCOPES[key].split()}
    assert set(FeeClaim.objects.for_user(user)) == set(policies.claims_for(user))


def test_made_claim_and_can_correct_claim(claims, guardian_user, coordinator, superuser):
    other = claims["county_returned"].assignment.guardian.user
    for name, c in claims.items():
        mine = name.startswith("mine")
        assert policies.made_claim(guardian_user, c) is mine
        assert policies.made_claim(other, c) is (not mine)
        returned = c.status == ClaimStatus.RETURNED
        assert policies.can_correct_claim(guardian_user, c) is (mine and returned)
        assert policies.can_correct_claim(other, c) is (not mine and returned)
        for user in (coordinator, superuser):
            assert policies.made_claim(user, c) is False
            assert policies.can_correct_claim(user, c) is False


def test_payers_for(claims, coordinator, superuser, request):
    paying = {"satakunnan-hyvinvointialue", "rauma"}
    for user in (coordinator, superuser):
        assert {o.slug for o in policies.payers_for(user)} == paying
    assert list(policies.payers_for(coordinator)) == list(
        policies.payers_for(coordinator).distinct()
    )
    payer = user_for("payer", request)
    assert {o.slug for o in policies.payers_for(payer)} == {"satakunnan-hyvinvointialue"}
    sw_pori = user_for("sw_pori", request)
    assert {o.slug for o in policies.payers_for(sw_pori)} == {"satakunnan-hyvinvointialue"}


def test_claimable_assignments(guardian_user, coordinator, settings):
    settings.GUARDIAN_ENDED_CLAIM_MONTHS = 12
    guardian = GuardianFactory(user=guardian_user)
    now = timezone.now()
    ended_as = {"state": State.ENDED, "status": AssignmentStatus.ENDED}
    appointed = case(guardian)
    ended = case(guardian, **ended_as, ended_at=now - datetime.timedelta(days=300))
    # Ended more than 12 months ago: gone, the fee can no longer be claimed.
    case(guardian, **ended_as, ended_at=now - datetime.timedelta(days=400))
    # No end time recorded on the assignment: the request's end counts.
    by_request = case(guardian, **ended_as)
    by_request.request.ended_on = timezone.localdate() - datetime.timedelta(days=30)
    by_request.request.save()
    case(guardian, state=State.PROPOSED, status=AssignmentStatus.PROPOSED)
    case(guardian, state=State.CONSENT_GIVEN)
    case(guardian, state=State.CANCELLED, status=AssignmentStatus.ENDED, ended_at=now)
    case(GuardianFactory(user=make_user("guardian")))
    assert set(policies.claimable_assignments(guardian_user)) == {appointed, ended, by_request}
    assert not policies.claimable_assignments(coordinator).exists()


def test_a_former_guardians_claim_shows_no_children(guardian_user, coordinator):
    guardian = GuardianFactory(user=guardian_user)
    serving = claim(case(guardian), ClaimStatus.SUBMITTED)
    ended = claim(
        case(guardian, state=State.ENDED, status=AssignmentStatus.ENDED, ended_at=timezone.now()),
        ClaimStatus.SUBMITTED,
    )
    assert policies.claim_shows_children(guardian_user, serving) is True
    assert policies.claim_shows_children(guardian_user, ended) is False
    assert policies.claim_shows_children(coordinator, ended) is True
