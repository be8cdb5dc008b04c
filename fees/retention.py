"""How long a fee claim is kept: retention follows the money, not the request.

A paid claim and its receipts are the payer's accounting vouchers (tositteet). The
Accounting Act, kirjanpitolaki 1336/1997, 2 luku 10 § 2 mom.: "Tilikauden tositteet [...]
on säilytettävä vähintään kuusi vuotta sen vuoden lopusta, jonka aikana tilikausi on
päättynyt" (https://www.finlex.fi/fi/laki/ajantasa/1997/19971336). The payers are
municipalities and wellbeing services counties, whose financial period is the calendar
year ("Kunnan tilikausi on kalenterivuosi", kuntalaki 410/2015, on the financial
statements, as e.g. https://www.vesilahti.fi/kunta-ja-hallinto/talous/tilinpaatos/ quotes
it; the Act on wellbeing services counties 611/2021 has the same rule), so the year of
payment is the financial period's year: a claim paid in 2026 is kept to the end of 2032,
whenever its request ended. An approved claim not yet
paid is money still owed: it is kept until it is paid and then for the same period.

Anonymising a request (guardianship.retention) therefore leaves its approved and paid
claims whole (the accounting fields never go: period, hours, fee, expenses, payment);
their text and receipts are erased by `erase_expired_claims` once their own period ends.
A claim that was never approved holds no money and loses its text with the request.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from common.retention import ERASED, erasure
from fees.enums import ClaimStatus

# Kirjanpitolaki 1336/1997 2:10 §: vouchers six years from the end of the financial year.
VOUCHER_YEARS = 6


def keep_until(paid_at):
    """The last day the voucher of a payment made on `paid_at` must be kept."""
    return datetime.date(paid_at.year + VOUCHER_YEARS, 12, 31)


def kept(today=None):
    """The claims still kept as vouchers on `today`: approved and not yet paid, or paid in
    a year whose period has not ended (paid in year Y: kept through 31.12.Y+6)."""
    today = today or timezone.localdate()
    return Q(status=ClaimStatus.APPROVED) | Q(
        status=ClaimStatus.PAID, paid_at__year__gte=today.year - VOUCHER_YEARS
    )


def erase(claims):
    """Erase the personal text, the payee's account and tax-card note and the receipts of
    `claims` (a queryset); the amounts, the dates, the payee's name and the payment stay.
    Each receipt's file is deleted once this is committed."""
    from fees.models import CLAIM_PERSONAL_FIELDS, ClaimExpense

    claims.update(**erasure(CLAIM_PERSONAL_FIELDS), payee_iban="", payee_tax_note="")
    expenses = ClaimExpense.objects.filter(claim__in=claims).exclude(receipt="")
    for expense in expenses:
        name, storage = expense.receipt.name, expense.receipt.storage
        transaction.on_commit(lambda n=name, s=storage: s.delete(n))
    expenses.update(receipt="")


@transaction.atomic
def erase_expired_claims(today=None):
    """The claims of anonymised requests kept as vouchers whose period has now ended:
    their text and receipts are erased (apply_retention runs this each time)."""
    from fees.models import FeeClaim

    claims = (
        FeeClaim.objects.filter(assignment__request__children__anonymised_at__isnull=False)
        .exclude(kept(today))
        .filter(
            ~Q(description="")
            | ~Q(return_reason__in=["", ERASED])
            | ~Q(payee_iban="")
            | Q(expenses__receipt__gt="")
        )
    )
    ids = list(claims.values_list("pk", flat=True).distinct())
    erase(FeeClaim.objects.filter(pk__in=ids))
    return len(ids)
