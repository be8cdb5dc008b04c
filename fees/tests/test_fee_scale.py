"""The fee scale as data (issue 15, part 2): a claim's fee is computed from its hours and
kilometres at the rate in force for its period, a different fee needs a reason, many hours
a confirmation; the period lies inside the guardian's assignment and overlaps no other
claim of the case (the database refuses it too); dates outside 2000-2100 are refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from common.exceptions import WorkflowError
from fees import services
from fees.factories import FeeClaimFactory, FeeRateFactory
from fees.models import FeeClaim, FeeRate
from fees.tests.conftest import claim_form_data
from guardianship.enums import AssignmentStatus
from guardianship.factories import AssignmentFactory
from guardianship.models import LegalTrack
from guardianship.models.tracks import CHILD_WELFARE

pytestmark = pytest.mark.django_db


def aware(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def rates():
    """The scale of 2025 (50 €/h, 0,59 €/km) and from 2026 on (60 €/h, 0,55 €/km), in
    place of the migration's reference rates (which have no hourly fee yet)."""
    FeeRate.objects.all().delete()
    return (
        FeeRateFactory(
            valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2025, 12, 31),
            hourly_fee=Decimal("50.00"),
            kilometre_allowance=Decimal("0.59"),
        ),
        FeeRateFactory(valid_from=datetime.date(2026, 1, 1)),
    )


@pytest.fixture
def started(case):
    """The guardian's assignment began on 1 June 2025."""
    case.started_at = aware(2025, 6, 1, 9, 0)
    case.save(update_fields=["started_at"])
    return case


def post_claim(client, case, **fields):
    return client.post(reverse("fees:claim_create", args=[case.uuid]), claim_form_data(**fields))


def errors(response):
    return response.context["form"].errors


@pytest.mark.parametrize(
    ("start", "end", "fee"),
    [
        # 2025: 6,5 h × 50 € + 120 km × 0,59 € = 325,00 + 70,80
        ("2025-10-01", "2025-12-31", Decimal("395.80")),
        # 2026: 6,5 h × 60 € + 120 km × 0,55 € = 390,00 + 66,00
        ("2026-01-01", "2026-03-31", Decimal("456.00")),
    ],
)
def test_the_fee_is_computed_at_the_rate_of_the_period(
    client, guardian, started, rates, media, start, end, fee
):
    client.force_login(guardian.user)
    response = post_claim(
        client, started, period_start=start, period_end=end, hours="6,5", kilometres="120", fee=""
    )
    assert response.status_code == 302, errors(response)
    claim = FeeClaim.objects.get()
    assert (claim.fee, claim.computed_fee, claim.kilometres) == (fee, fee, Decimal("120.0"))
    assert claim.fee_rate == rates[0 if start.startswith("2025") else 1]
    page = client.get(claim.get_absolute_url()).content.decode()
    assert f"{fee:.2f}".replace(".", ",") in page


def test_a_different_fee_without_a_reason_is_refused(client, guardian, started, rates, media):
    client.force_login(guardian.user)
    response = post_claim(client, started, hours="6,5", kilometres="0", fee="500,00")
    assert response.status_code == 200
    message = " ".join(errors(response)["fee_reason"])
    assert "390,00" in message and "500,00" in message
    assert not FeeClaim.objects.exists()

    response = post_claim(
        client,
        started,
        hours="6,5",
        kilometres="0",
        fee="500,00",
        fee_reason="Kiireellinen istunto iltaisin.",
    )
    assert response.status_code == 302, errors(response)
    claim = FeeClaim.objects.get()
    assert (claim.fee, claim.computed_fee) == (Decimal("500.00"), Decimal("390.00"))
    assert claim.fee_reason == "Kiireellinen istunto iltaisin."
    assert "Kiireellinen istunto iltaisin." in client.get(claim.get_absolute_url()).content.decode()


def test_the_database_refuses_a_different_fee_without_a_reason(started, rates):
    with pytest.raises(IntegrityError), transaction.atomic():
        FeeClaimFactory(assignment=started, computed_fee=Decimal("390.00"), fee=Decimal("500"))


def test_a_period_across_a_change_of_the_scale_is_claimed_in_two(client, guardian, started, rates):
    client.force_login(guardian.user)
    response = post_claim(client, started, period_start="2025-12-01", period_end="2026-01-31")
    assert response.status_code == 200
    assert "1.1.2026" in " ".join(errors(response)["period_end"])
    assert not FeeClaim.objects.exists()


def test_without_an_hourly_fee_the_fee_is_given_by_the_guardian(client, guardian, started, media):
    """The migration's reference rates: the kilometre allowance, no hourly fee yet."""
    client.force_login(guardian.user)
    response = post_claim(client, started, fee="")
    assert "fee" in errors(response)
    response = post_claim(client, started, fee="450,00")
    assert response.status_code == 302, errors(response)
    claim = FeeClaim.objects.get()
    assert claim.computed_fee is None and claim.fee == Decimal("450.00")
    assert claim.fee_rate.kilometre_allowance == Decimal("0.55")


def test_the_migration_loads_the_kilometre_allowances_of_2025_and_2026():
    rates = FeeRate.objects.filter(
        track__code=CHILD_WELFARE, payer__slug="satakunnan-hyvinvointialue"
    )
    assert [
        (r.valid_from.year, r.valid_until, r.kilometre_allowance, r.hourly_fee)
        for r in rates.order_by("valid_from")
    ] == [
        (2025, datetime.date(2025, 12, 31), Decimal("0.59"), None),
        (2026, None, Decimal("0.55"), None),
    ]


def test_two_rates_of_one_track_and_payer_may_not_overlap(rates):
    overlapping = FeeRateFactory.build(valid_from=datetime.date(2026, 6, 1))
    with pytest.raises(ValidationError):
        overlapping.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        overlapping.save()
    # Another payer's rate for the same days is another scale.
    other = FeeRateFactory(
        valid_from=datetime.date(2026, 6, 1),
        payer=LegalTrack.objects.get(code="esitutkinta").payer,
    )
    assert other.pk


@pytest.mark.parametrize(("limit", "needed"), [(10, True), (40, False)])
def test_many_hours_ask_for_a_confirmation(
    client, guardian, started, media, settings, limit, needed
):
    settings.FEE_CLAIM_HOURS_CONFIRM = limit
    client.force_login(guardian.user)
    response = post_claim(client, started, hours="12,5")
    if not needed:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert "confirm_hours" in errors(response)
    assert 'name="confirm_hours"' in response.content.decode()
    assert not FeeClaim.objects.exists()
    response = post_claim(client, started, hours="12,5", confirm_hours="on")
    assert response.status_code == 302, errors(response)
    assert FeeClaim.objects.get().hours == Decimal("12.5")


def test_the_confirmation_is_not_asked_for_few_hours(client, guardian, started):
    client.force_login(guardian.user)
    html = client.get(reverse("fees:claim_create", args=[started.uuid])).content.decode()
    assert 'name="confirm_hours"' not in html


def test_a_period_before_the_assignment_began_is_refused(client, guardian, started):
    client.force_login(guardian.user)
    response = post_claim(client, started, period_start="2025-05-01", period_end="2025-06-30")
    assert "1.6.2025" in " ".join(errors(response)["period_start"])
    assert not FeeClaim.objects.exists()


def test_a_period_after_the_assignment_ended_is_refused(client, guardian, started):
    started.status = AssignmentStatus.ENDED
    started.ended_at = aware(2026, 2, 15, 12, 0)
    started.save(update_fields=["status", "ended_at"])
    client.force_login(guardian.user)
    response = post_claim(client, started, period_start="2026-01-01", period_end="2026-03-31")
    assert "15.2.2026" in " ".join(errors(response)["period_end"])
    assert not FeeClaim.objects.exists()


def test_an_overlapping_claim_is_refused_by_the_database(started):
    FeeClaimFactory(assignment=started)  # 1.1.–31.3.2026
    overlapping = {
        "assignment": started,
        "period_start": datetime.date(2026, 3, 31),
        "period_end": datetime.date(2026, 4, 30),
        "hours": Decimal("1"),
        "fee": Decimal("10"),
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        FeeClaim.objects.create(**overlapping)
    # The next day on, and another case on the same days, are no overlap.
    FeeClaim.objects.create(**{**overlapping, "period_start": datetime.date(2026, 4, 1)})
    FeeClaimFactory(assignment=AssignmentFactory(appointed=True))
    assert FeeClaim.objects.count() == 3


def test_an_overlapping_claim_is_refused_by_the_form_with_a_clear_message(
    client, guardian, started
):
    first = FeeClaimFactory(assignment=started, returned=True)
    client.force_login(guardian.user)
    response = post_claim(client, started, period_start="2026-03-01", period_end="2026-04-30")
    message = " ".join(errors(response)["period_start"])
    assert first.reference in message and "1.1.2026–31.3.2026" in message
    assert FeeClaim.objects.count() == 1


def test_the_database_answer_to_a_simultaneous_overlap_is_a_clear_error(guardian, started):
    """Two claims of the same days sent at once both pass the form; the exclusion
    constraint refuses the second, and the service says why."""
    FeeClaimFactory(assignment=started)
    message = gettext("Another claim of this case already covers some of these days.")
    with pytest.raises(WorkflowError, match=message):
        services.create_claim(
            started,
            by=guardian.user,
            idempotency_key="6a2f41a4-4c3d-4b9e-9f5e-7b7c2d1e0a11",
            period_start=datetime.date(2026, 2, 1),
            period_end=datetime.date(2026, 2, 28),
            hours=Decimal("2"),
            fee=Decimal("100"),
            description="",
        )
    assert FeeClaim.objects.count() == 1


def test_a_claim_of_the_year_1999_is_refused_by_the_database(started):
    with pytest.raises(IntegrityError), transaction.atomic():
        FeeClaimFactory(
            assignment=started,
            period_start=datetime.date(1999, 12, 1),
            period_end=datetime.date(1999, 12, 31),
        )
