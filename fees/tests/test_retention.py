"""The claims of a request that apply_retention anonymises lose their personal text and
receipts; the amounts, which the statistics and the payers' reports count, stay."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from fees.enums import ClaimStatus
from fees.factories import ClaimExpenseFactory, FeeClaimFactory
from guardianship.enums import AssignmentStatus, State
from guardianship.factories import AssignmentFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=7 * 365)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def claim_on_request_closed(at):
    """A returned claim with a receipted expense, on a request that ended at `at`."""
    assignment = AssignmentFactory(
        status=AssignmentStatus.ENDED,
        request__state=State.ENDED,
        request__state_changed_at=at,
        request__submitted_at=at - datetime.timedelta(days=400),
    )
    claim = FeeClaimFactory(
        assignment=assignment,
        returned=True,
        return_reason="Ainon tapaamisten erittely puuttuu.",
        description="Tapasin Ainon.",
        hours=Decimal("3"),
        fee=Decimal("100.00"),
    )
    ClaimExpenseFactory(
        claim=claim,
        amount=Decimal("12.40"),
        receipt=SimpleUploadedFile("kuitti.pdf", b"%PDF-1.4 Ainon matka"),
    )
    return claim


def test_an_anonymised_requests_claims_lose_their_text_and_receipts(
    django_capture_on_commit_callbacks,
):
    old = claim_on_request_closed(LONG_AGO)
    recent = claim_on_request_closed(timezone.now() - datetime.timedelta(days=30))
    receipt = old.expenses.get().receipt
    storage, name = receipt.storage, receipt.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", years=6, log_years=12)

    old.refresh_from_db()
    assert (old.description, old.status) == ("", ClaimStatus.RETURNED)
    assert "Ainon" not in old.return_reason
    assert (old.hours, old.fee) == (Decimal("3.00"), Decimal("100.00"))
    expense = old.expenses.get()
    assert (expense.receipt.name, expense.amount) == ("", Decimal("12.40"))
    assert not storage.exists(name)  # the file goes once the change is committed
    # The recent request's claim is untouched.
    recent.refresh_from_db()
    assert recent.description == "Tapasin Ainon."
    assert recent.expenses.get().receipt
