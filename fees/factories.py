import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from fees.enums import ClaimStatus, ContactMode, PayeeKind
from fees.models import ClaimExpense, ContactEntry, FeeClaim, FeeRate, Payee
from guardianship.factories import AssignmentFactory, GuardianFactory, organisation
from guardianship.models import LegalTrack
from guardianship.models.tracks import CHILD_WELFARE


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


class PayeeFactory(factory.django.DjangoModelFactory):
    """A guardian's payee details: as a private person, with a valid (example) IBAN.
    `business=True` for a VAT-registered business with a valid business ID."""

    class Meta:
        model = Payee

    class Params:
        business = factory.Trait(
            kind=PayeeKind.BUSINESS,
            name="Edunvalvontapalvelu Oy",
            business_id="2077474-0",
            vat_registered=True,
            tax_note="Ennakkoperintärekisterissä.",
        )

    guardian = factory.SubFactory(GuardianFactory)
    kind = PayeeKind.PERSON
    name = factory.LazyAttribute(lambda p: p.guardian.full_name)
    iban = "FI2112345600000785"
    tax_note = "Verokortti: ennakonpidätys 20 %."


class FeeRateFactory(factory.django.DjangoModelFactory):
    """A rate of the child-welfare track paid by the county, in force from 2026 on:
    60 €/h and 0,55 €/km. The migration's reference rates of the same track and payer
    overlap it: delete them first (`FeeRate.objects.all().delete()`)."""

    class Meta:
        model = FeeRate

    track = factory.LazyFunction(lambda: LegalTrack.objects.get(code=CHILD_WELFARE))
    payer = factory.LazyFunction(lambda: organisation("satakunnan-hyvinvointialue"))
    valid_from = datetime.date(2026, 1, 1)
    valid_until = None
    hourly_fee = Decimal("60.00")
    kilometre_allowance = Decimal("0.55")
    allowed_expenses = "Matkaliput ja pysäköinti kuittia vastaan."
