"""The coordinator's decision cannot go wrong (issue 15, part 4): a choice survives an
error, returning needs a reason, approving shows the amounts and asks to confirm, and
the guardian is told by e-mail, with only the claim's reference."""

from decimal import Decimal

import pytest
from django.urls import reverse

from fees.enums import ClaimStatus
from fees.factories import ClaimExpenseFactory, FeeClaimFactory
from fees.models import FeeClaim
from guardianship.enums import AccessAction, AccessBasis
from guardianship.models import AccessLog

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
REASON = "Tuntierittely puuttuu, Aino Virtasen tapaamiset."


@pytest.fixture
def claim(case):
    claim = FeeClaimFactory(assignment=case, hours=Decimal("6.5"), fee=Decimal("1450.00"))
    ClaimExpenseFactory(claim=claim, description="Matkat", amount=Decimal("42.40"))
    return claim


def decide(client, claim, **data):
    return client.post(reverse("fees:claim_decide", args=[claim.uuid]), data)


def checked(html, value):
    tag = html.split(f'value="{value}"')[0].rsplit("<input", 1)[1]
    return "checked" in tag + html.split(f'value="{value}"')[1].split(">", 1)[0]


def test_returning_without_a_reason_keeps_the_choice_and_asks_for_the_reason(
    client, coordinator, claim
):
    client.force_login(coordinator)
    response = decide(client, claim, decision="return", reason="  ")
    assert response.status_code == 200
    html = response.content.decode()
    assert checked(html, "return") and not checked(html, "approve")
    assert response.context["decision_form"].errors["reason"]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED

    # The coordinator types the reason and saves again: the claim is returned, with it.
    response = decide(client, claim, decision="return", reason=REASON)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.return_reason) == (ClaimStatus.RETURNED, REASON)


def test_the_decision_has_no_preselected_answer(client, coordinator, claim):
    client.force_login(coordinator)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert not checked(html, "approve") and not checked(html, "return")
    response = decide(client, claim, reason="")
    assert response.context["decision_form"].errors["decision"]


def test_a_reason_typed_with_approve_is_not_thrown_away(client, coordinator, claim):
    client.force_login(coordinator)
    response = decide(client, claim, decision="approve", reason=REASON, confirm="1")
    assert response.status_code == 200
    assert response.context["decision_form"].errors
    assert REASON in response.content.decode()  # still in the text area
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_approving_shows_the_amounts_and_asks_to_confirm(client, coordinator, claim, sent_mail):
    client.force_login(coordinator)
    response = decide(client, claim, decision="approve", reason="")
    assert response.status_code == 200
    html = response.content.decode()
    for shown in ("6,50", f"1{NBSP}450,00", "42,40", f"1{NBSP}492,40", "Matkat"):
        assert shown in html
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED  # not yet
    assert sent_mail() == []

    confirm = response.context["confirm_form"]
    data = {name: field.value() for name, field in ((f.name, f) for f in confirm)}
    response = decide(client, claim, **{k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and claim.decided_by == coordinator


def test_a_confirmation_of_amounts_that_changed_since_is_refused(client, coordinator, claim):
    client.force_login(coordinator)
    response = decide(client, claim, decision="approve")
    data = {f.name: f.value() for f in response.context["confirm_form"]}
    # Meanwhile the claim was returned and corrected (a new submission).
    FeeClaim.objects.filter(pk=claim.pk).update(
        fee=Decimal("9999.00"), submitted_at=claim.submitted_at.replace(year=2025)
    )
    response = decide(client, claim, **{k: v for k, v in data.items() if v is not None})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert f"9{NBSP}999,00" in response.content.decode()  # the new amounts, to check again


@pytest.mark.parametrize("decision", ["return", "approve"])
def test_the_guardian_is_emailed_the_reference_only(
    client, coordinator, claim, guardian, decision, sent_mail
):
    client.force_login(coordinator)
    data = {"decision": decision, "reason": REASON if decision == "return" else ""}
    if decision == "approve":
        response = decide(client, claim, **data)
        data = {f.name: f.value() for f in response.context["confirm_form"]}
        data = {k: v for k, v in data.items() if v is not None}
    assert decide(client, claim, **data).status_code == 302
    [message] = sent_mail()
    assert message.to == [guardian.email]
    assert claim.reference in message.subject
    text = message.subject + message.body
    assert claim.get_absolute_url() in message.body
    for secret in ("Aino", "Virta", "1450", "1 450", "42,40", "Tuntierittely"):
        assert secret not in text
    disclosed = AccessLog.objects.get(action=AccessAction.DISCLOSE)
    assert (disclosed.recipient, disclosed.basis, disclosed.user) == (
        guardian.email,
        AccessBasis.APPOINTED_GUARDIAN,
        coordinator,
    )
    assert disclosed.request_id == claim.assignment.request_id
