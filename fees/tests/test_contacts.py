"""The guardian's contact log: contacts recorded as they happen, and a fee claim for a
period drafted from those not yet claimed (issue 15, part 10)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import make_user
from fees.enums import ClaimStatus, ContactMode
from fees.factories import ContactEntryFactory, FeeClaimFactory, PayeeFactory
from fees.models import ContactEntry, FeeClaim
from guardianship.enums import AccessAction, AccessBasis, AccessOutcome
from guardianship.factories import AssignmentFactory, GuardianFactory
from guardianship.models import AccessLog
from guardianship.retention import anonymise

pytestmark = pytest.mark.django_db

STARTED = timezone.make_aware(datetime.datetime(2026, 1, 12, 9, 0))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(guardian_user):
    """The guardian's case, and their payee details (a claim needs them)."""
    guardian = GuardianFactory(user=guardian_user)
    PayeeFactory(guardian=guardian)
    return AssignmentFactory(
        appointed=True,
        guardian=guardian,
        proposed_at=STARTED - datetime.timedelta(days=30),
        started_at=STARTED,
    )


def log_url(case):
    return reverse("fees:contact_log", kwargs={"assignment": case.uuid})


def post_contact(client, case, **values):
    data = {"date": "2026-02-03", "mode": "meeting", "minutes": "90", "kilometres": "24,5"}
    data.update(values)
    return client.post(log_url(case), data)


def test_the_guardian_records_a_contact_typed_the_finnish_way(client, case):
    client.force_login(case.guardian.user)
    response = post_contact(client, case, note="Tapasin lapsen koulun jälkeen.")
    assert response.status_code == 302
    entry = ContactEntry.objects.get(assignment=case)
    assert (entry.date, entry.mode, entry.minutes) == (datetime.date(2026, 2, 3), "meeting", 90)
    assert entry.kilometres == Decimal("24.5")
    page = client.get(log_url(case)).content.decode()
    assert "Tapasin lapsen koulun jälkeen." in page
    assert "3.2.2026" in page and "24,5" in page


def test_looking_at_the_log_is_logged_with_the_guardians_basis(client, case):
    client.force_login(case.guardian.user)
    client.get(log_url(case))
    row = AccessLog.objects.get(request=case.request, action=AccessAction.VIEW)
    assert (row.basis, row.outcome) == (AccessBasis.APPOINTED_GUARDIAN, AccessOutcome.ALLOWED)


@pytest.mark.parametrize(
    ("values", "field", "error"),
    [
        ({"date": "2099-01-01"}, "date", "Kirjaa yhteydenpito vasta"),
        ({"date": "0001-01-01"}, "date", "2000"),
        ({"date": "2025-12-31"}, "date", "ennen kuin tehtäväsi alkoi"),
        ({"minutes": "0"}, "minutes", "1 440"),
        ({"minutes": "2000"}, "minutes", "1 440"),
        ({"kilometres": "-3"}, "kilometres", "positiivinen"),
    ],
)
def test_a_bad_contact_is_refused_with_the_reason_next_to_the_field(
    client, case, values, field, error
):
    client.force_login(case.guardian.user)
    response = post_contact(client, case, **values)
    assert response.status_code == 200
    assert not ContactEntry.objects.exists()
    assert error in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode() or error in (
        response.content.decode()
    )


def test_nobody_else_sees_or_writes_the_log(client, case, coordinator, sw_pori):
    other = make_user("guardian", username="toinen-edunvalvoja")
    GuardianFactory(user=other)
    client.force_login(other)
    assert client.get(log_url(case)).status_code == 404
    assert post_contact(client, case).status_code == 404
    for user in (coordinator, sw_pori):
        client.force_login(user)
        assert client.get(log_url(case)).status_code == 403
    assert not ContactEntry.objects.exists()


def test_nobody_else_removes_a_contact(client, case, coordinator):
    entry = ContactEntryFactory(assignment=case)
    url = reverse("fees:contact_delete", kwargs={"assignment": case.uuid, "entry": entry.uuid})
    other = make_user("guardian", username="toinen-edunvalvoja")
    # Another guardian's own case in the URL, this entry's key after it: still not theirs.
    own = AssignmentFactory(appointed=True, guardian=GuardianFactory(user=other))
    client.force_login(other)
    assert client.post(url).status_code == 404
    crossed = reverse("fees:contact_delete", kwargs={"assignment": own.uuid, "entry": entry.uuid})
    assert client.post(crossed).status_code == 404
    client.force_login(coordinator)
    assert client.post(url).status_code == 403
    # A removal is a POST: a link followed (GET) changes nothing.
    client.force_login(case.guardian.user)
    assert client.get(url).status_code == 405
    assert list(ContactEntry.objects.all()) == [entry]


def test_a_claim_is_drafted_from_the_unclaimed_contacts_of_the_period(client, case):
    ContactEntryFactory(assignment=case, date=datetime.date(2026, 2, 3), minutes=90)
    ContactEntryFactory(
        assignment=case,
        date=datetime.date(2026, 2, 20),
        minutes=45,
        mode=ContactMode.PHONE,
        kilometres=Decimal("0"),
        note="Puhelu sosiaalityöntekijälle.",
    )
    outside = ContactEntryFactory(assignment=case, date=datetime.date(2026, 4, 2), minutes=60)
    client.force_login(case.guardian.user)
    url = reverse("fees:claim_create", kwargs={"assignment": case.uuid})
    response = client.get(url, {"start": "2026-02-01", "end": "2026-03-31"})
    form = response.context["form"]
    assert form.initial["hours"] == Decimal("2.25")
    assert form.initial["kilometres"] == Decimal("24.0")
    assert "20.2.2026 Puhelu, 45 min: Puhelu sosiaalityöntekijälle." in form.initial["description"]
    assert "Luonnos tehtiin 2 yhteydenpidosta" in response.content.decode()

    response = client.post(
        url,
        {
            "period_start": "2026-02-01",
            "period_end": "2026-03-31",
            "hours": "2,25",
            "fee": "150,00",
            "description": form.initial["description"],
            "idempotency_key": str(form.initial["idempotency_key"]),
            "expenses-TOTAL_FORMS": "0",
            "expenses-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    claim = FeeClaim.objects.get(assignment=case)
    assert set(claim.contact_entries.values_list("date", flat=True)) == {
        datetime.date(2026, 2, 3),
        datetime.date(2026, 2, 20),
    }
    outside.refresh_from_db()
    assert outside.claim is None
    # Drafting the same period again finds nothing left to claim.
    again = client.get(url, {"start": "2026-02-01", "end": "2026-03-31"}).context["form"]
    assert again.initial["hours"] == Decimal("0.00")


def test_a_claimed_contact_stays_and_the_coordinator_sees_it(client, case, coordinator):
    claim = FeeClaimFactory(assignment=case, period_start=datetime.date(2026, 2, 1))
    entry = ContactEntryFactory(assignment=case, claim=claim, note="Käräjäoikeuden istunto.")
    free = ContactEntryFactory(assignment=case, date=datetime.date(2026, 4, 2))
    client.force_login(case.guardian.user)
    delete = "fees:contact_delete"
    client.post(reverse(delete, kwargs={"assignment": case.uuid, "entry": entry.uuid}))
    client.post(reverse(delete, kwargs={"assignment": case.uuid, "entry": free.uuid}))
    assert list(ContactEntry.objects.all()) == [entry]

    client.force_login(coordinator)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Käräjäoikeuden istunto." in page


def test_a_corrected_claims_period_takes_its_contacts_afresh(case):
    from fees import services

    claim = FeeClaimFactory(
        assignment=case,
        returned=True,
        period_start=datetime.date(2026, 2, 1),
        period_end=datetime.date(2026, 2, 28),
    )
    february = ContactEntryFactory(assignment=case, date=datetime.date(2026, 2, 3), claim=claim)
    march = ContactEntryFactory(assignment=case, date=datetime.date(2026, 3, 3))
    services.resubmit_claim(
        claim,
        by=case.guardian.user,
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31),
    )
    february.refresh_from_db()
    march.refresh_from_db()
    assert (february.claim, march.claim) == (None, claim)
    assert FeeClaim.objects.get().status == ClaimStatus.SUBMITTED


def test_anonymising_the_request_erases_what_was_written_of_the_contacts(case):
    entry = ContactEntryFactory(assignment=case, note="Lapsi kertoi koulusta.")
    anonymise([case.request.pk])
    entry.refresh_from_db()
    assert entry.note == "" and entry.minutes == 90
