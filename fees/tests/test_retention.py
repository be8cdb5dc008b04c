"""The claims of a request that apply_retention anonymises lose their personal text and
receipts; the amounts, which the statistics and the payers' reports count, stay. An
approved or paid claim is an accounting voucher: it is kept whole until its own period,
counted from the end of the year of payment, has ended (fees.retention)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from accounts.factories import UserFactory
from fees import retention as fees_retention
from fees.enums import ClaimStatus
from fees.factories import ClaimExpenseFactory, FeeClaimFactory
from fees.models import FeeClaim
from guardianship import retention
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


def claim_of_long_closed_request(**traits):
    """A claim with a description and a receipted expense, of a request that ended seven
    years ago (a late claim of a former guardian, say), decided as `traits` say."""
    claim = claim_on_request_closed(LONG_AGO)
    claims = FeeClaim.objects.filter(pk=claim.pk)
    # Approved first: only an approved claim can become paid (the database says so).
    claims.update(return_reason="", status=ClaimStatus.APPROVED)
    claims.update(**traits)
    claim.refresh_from_db()
    return claim


def test_retention_keeps_the_receipt_and_description_of_a_claim_approved_30_days_ago(
    django_capture_on_commit_callbacks,
):
    """The bug: retention erased them because it keyed on the request's end date."""
    claim = claim_of_long_closed_request(
        status=ClaimStatus.APPROVED, decided_at=timezone.now() - datetime.timedelta(days=30)
    )
    receipt = claim.expenses.get().receipt
    storage, name = receipt.storage, receipt.name

    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", years=6, log_years=12)

    claim.refresh_from_db()
    assert claim.assignment.request.children.filter(anonymised_at__isnull=False).exists()
    assert claim.description == "Tapasin Ainon."
    expense = claim.expenses.get()
    assert (expense.receipt.name, expense.amount) == (name, Decimal("12.40"))
    assert storage.exists(name)


def test_a_paid_claim_is_kept_to_the_end_of_the_sixth_year_after_the_payment(
    django_capture_on_commit_callbacks,
):
    """Kirjanpitolaki 2:10 §: vouchers six years from the end of the financial year, here
    the calendar year of payment: paid in March 2020, kept through 31.12.2026."""
    payer = UserFactory()
    claim = claim_of_long_closed_request(
        status=ClaimStatus.PAID,
        decided_at=timezone.now(),
        paid_at=datetime.date(2020, 3, 16),
        payment_reference="MAKSU-2020-03",
        paid_by=payer,
    )
    assert claim.keep_until == datetime.date(2026, 12, 31)
    receipt = claim.expenses.get().receipt
    storage, name = receipt.storage, receipt.name
    retention.anonymise([claim.assignment.request_id])  # the request's own period is over

    fees_retention.erase_expired_claims(today=datetime.date(2026, 12, 31))
    claim.refresh_from_db()
    assert claim.description == "Tapasin Ainon."
    assert claim.expenses.get().receipt.name == name

    with django_capture_on_commit_callbacks(execute=True):
        fees_retention.erase_expired_claims(today=datetime.date(2027, 1, 1))

    claim.refresh_from_db()
    assert claim.description == ""
    assert not storage.exists(name)
    # The accounting fields stay as they were paid.
    assert (
        claim.status,
        claim.paid_at,
        claim.payment_reference,
        claim.paid_by,
        claim.hours,
        claim.fee,
        claim.expenses.get().amount,
    ) == (
        ClaimStatus.PAID,
        datetime.date(2020, 3, 16),
        "MAKSU-2020-03",
        payer,
        Decimal("3.00"),
        Decimal("100.00"),
        Decimal("12.40"),
    )


def test_apply_retention_erases_the_claims_whose_own_period_has_ended(
    django_capture_on_commit_callbacks,
):
    old = claim_of_long_closed_request(
        status=ClaimStatus.PAID,
        decided_at=LONG_AGO,
        paid_at=(LONG_AGO - datetime.timedelta(days=400)).date(),
        payment_reference="MAKSU",
        payee_name="Kallio Consulting Oy",
        payee_iban="FI2112345600000785",
        payee_tax_note="Verokortti 2019: 20 %",
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", years=6, log_years=12)
    old.refresh_from_db()
    assert old.description == ""
    # The account and the tax card go with the voucher period; who was paid stays.
    assert (old.payee_iban, old.payee_tax_note) == ("", "")
    assert old.payee_name == "Kallio Consulting Oy"
    assert old.expenses.get().receipt.name == ""
    assert old.fee == Decimal("100.00")
