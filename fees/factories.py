import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from fees.enums import ClaimStatus, ContactMode
from fees.models import ClaimExpense, ContactEntry, FeeClaim
from guardianship.factories import AssignmentFactory


class FeeClaimFactory(factory.django.DjangoModelFactory):
    """A guardian's submitted claim for the first quarter of 2026, on an appointed case.

    The traits `returned` and `approved` are the coordinator's decisions; `paid`, an
    approved claim the payer's official has marked paid.
    """

    class Meta:
        model = FeeClaim

    class Params:
        returned = factory.Trait(
            status=ClaimStatus.RETURNED,
            return_reason="Liite puuttuu.",
            decided_by=factory.SubFactory("accounts.factories.UserFactory"),
            decided_at=factory.LazyFunction(timezone.now),
        )
        approved = factory.Trait(
            status=ClaimStatus.APPROVED,
            decided_by=factory.SubFactory("accounts.factories.UserFactory"),
            decided_at=factory.LazyFunction(timezone.now),
        )
        paid = factory.Trait(
            status=ClaimStatus.PAID,
            decided_by=factory.SubFactory("accounts.factories.UserFactory"),
            decided_at=factory.LazyFunction(timezone.now),
            paid_at=datetime.date(2026, 4, 15),
            payment_reference="MAKSU-2026-04",
            paid_by=factory.SubFactory("accounts.factories.UserFactory"),
        )

    assignment = factory.SubFactory(AssignmentFactory, appointed=True)
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 3, 31)
    hours = Decimal("6.50")
    fee = Decimal("450.00")


class ClaimExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimExpense

    claim = factory.SubFactory(FeeClaimFactory)
    description = "Matkakulut"
    amount = Decimal("42.40")


class ContactEntryFactory(factory.django.DjangoModelFactory):
    """A meeting recorded in the guardian's contact log of an appointed case."""

    class Meta:
        model = ContactEntry

    assignment = factory.SubFactory(AssignmentFactory, appointed=True)
    date = datetime.date(2026, 2, 3)
    mode = ContactMode.MEETING
    minutes = 90
    kilometres = Decimal("24.0")
    note = "Tapaaminen sijaishuoltopaikassa."
