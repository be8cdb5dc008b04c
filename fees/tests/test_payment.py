"""The payer pays (issue 15, part 7): an approved claim becomes paid once, with the date
and the payer's own reference; the guardian sees it paid; the coordinator sees what is
still unpaid after FEE_CLAIM_UNPAID_DAYS."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.factories import make_user
from fees import services, views
from fees.enums import ClaimStatus
from fees.factories import ClaimExpenseFactory, FeeClaimFactory
from fees.models import FeeClaim
from guardianship.enums import AccessAction, AccessBasis
from guardianship.factories import AssignmentFactory, GuardianFactory
from guardianship.models import AccessLog

pytestmark = pytest.mark.django_db

URL = reverse("fees:claim_payment")
PAID_ON = datetime.date(2026, 11, 27)


@pytest.fixture
def guardian(guardian_user):
    return GuardianFactory(user=guardian_user)


# After the approved claims: two claims of one case may not overlap (issue 15, part 2).
LATER_PERIOD = {
    "period_start": datetime.date(2026, 3, 1),
    "period_end": datetime.date(2026, 3, 31),
}


@pytest.fixture
def approved(guardian, coordinator):
    """Two approved claims of the guardian's case, which the county pays."""
    case = AssignmentFactory(appointed=True, guardian=guardian, proposed_by=coordinator)
    return [
        FeeClaimFactory(
            assignment=case,
            approved=True,
            decided_by=coordinator,
            period_start=datetime.date(2026, month, 1),
            period_end=datetime.date(2026, month, 28),
        )
        for month in (1, 2)
    ]


def payment(claims, reference="MAKSU-2026-11", paid_at=PAID_ON):
    return {
        "claims": [str(c.uuid) for c in claims],
        "paid_at": paid_at.isoformat(),
        "payment_reference": reference,
    }


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_payer_marks_a_batch_paid_and_the_guardian_sees_it(
    client, payer, approved, guardian_user
):
    client.force_login(payer)
    page = client.get(URL)
    assert page.status_code == 200
    assert [r.uuid for r in page.context["rows"]] == [c.uuid for c in approved]

    response = client.post(URL, payment(approved))

    assert response.status_code == 302
    for claim in approved:
        claim.refresh_from_db()
        assert (claim.status, claim.paid_at, claim.payment_reference, claim.paid_by) == (
            ClaimStatus.PAID,
            PAID_ON,
            "MAKSU-2026-11",
            payer,
        )
    assert texts(response) == ["2 palkkiovaatimusta merkittiin maksetuiksi."]
    assert client.get(URL).context["rows"] == []  # nothing left to pay
    # Marking paid is a change of the claims, logged on the payer's basis.
    rows = AccessLog.objects.filter(user=payer, action=AccessAction.UPDATE)
    assert set(rows.values_list("basis", flat=True)) == {AccessBasis.PAYER}
    # The guardian sees the claim paid, with the date.
    client.force_login(guardian_user)
    detail = client.get(approved[0].get_absolute_url()).content.decode()
    assert "Maksettu 27.11.2026" in detail
    assert "MAKSU-2026-11" in detail


def test_a_payment_row_shows_the_claim_request_case_guardian_period_and_total(
    client, payer, approved, guardian
):
    """The rows are read as tuples (issue 18): what the payer checks before paying."""
    claim = approved[0]
    ClaimExpenseFactory(claim=claim, amount=Decimal("1234.50"))
    request = claim.assignment.request
    request.case_number = "SATA/123/2026"
    request.save(update_fields=["case_number"])
    client.force_login(payer)
    html = client.get(URL).content.decode()
    row = html.split(f'value="{claim.uuid}"', 1)[1].split("</tr>", 1)[0]
    assert f'<a href="{claim.get_absolute_url()}">{claim.reference}</a>' in row
    assert f">{request.reference}</td>" in row and ">SATA/123/2026</td>" in row
    assert f">{guardian.first_name} {guardian.last_name}</td>" in row
    assert ">1.1.2026–28.1.2026</td>" in row
    assert ">1\u00a0684,50</td>" in row  # 450,00 fee and 1 234,50 of expenses


def test_the_page_shows_the_oldest_batch_and_says_more_wait(
    client, payer, guardian, coordinator, monkeypatch
):
    """Issue 18: however long the backlog, the page lists a batch, the oldest approved
    first, says that more wait, and the claims shown are marked paid as before."""
    monkeypatch.setattr(views, "PAYMENT_BATCH", 3)
    case = AssignmentFactory(appointed=True, guardian=guardian, proposed_by=coordinator)
    now = timezone.now()
    claims = [
        FeeClaimFactory(
            assignment=case,
            approved=True,
            decided_by=coordinator,
            decided_at=now - datetime.timedelta(days=10 - month),
            period_start=datetime.date(2026, month, 1),
            period_end=datetime.date(2026, month, 28),
        )
        for month in (5, 1, 4, 2, 3)  # approved in this order: oldest the May claim
    ]
    oldest = sorted(claims, key=lambda c: c.decided_at)[:3]
    client.force_login(payer)

    page = client.get(URL)

    assert [r.uuid for r in page.context["rows"]] == [c.uuid for c in oldest]
    assert page.content.decode().count('name="claims"') == 3
    assert page.context["more"]
    assert "lisää odottaa" in page.content.decode()

    response = client.post(URL, payment(oldest))

    assert response.status_code == 302
    assert set(FeeClaim.objects.filter(status=ClaimStatus.PAID)) == set(oldest)
    rest = client.get(URL)
    assert len(rest.context["rows"]) == 2
    assert not rest.context["more"]
    assert "lisää odottaa" not in rest.content.decode()


def test_every_change_of_a_claim_is_in_its_history(client, payer, approved):
    client.force_login(payer)
    client.post(URL, payment(approved[:1]))
    events = approved[0].history.order_by("pgh_id")
    assert [e.status for e in events] == [ClaimStatus.APPROVED, ClaimStatus.PAID]
    last = events.last()
    assert (last.paid_at, last.payment_reference, last.paid_by_id) == (
        PAID_ON,
        "MAKSU-2026-11",
        payer.pk,
    )


def test_a_claim_already_paid_is_reported_and_not_marked_again(client, payer, approved):
    client.force_login(payer)
    client.post(URL, payment(approved[:1], reference="ENSIMMÄINEN"))
    client.get(URL)  # the first message shown

    # The same page, sent again with both claims ticked and another reference.
    response = client.post(URL, payment(approved, reference="TOINEN"))

    first, second = (FeeClaim.objects.get(pk=c.pk) for c in approved)
    assert first.payment_reference == "ENSIMMÄINEN"
    assert second.payment_reference == "TOINEN"
    assert texts(response) == [
        "1 palkkiovaatimus merkittiin maksetuksi.",
        f"Palkkiovaatimus {first.reference} oli jo merkitty maksetuksi 27.11.2026 (viite "
        "ENSIMMÄINEN), eikä sitä muutettu.",
    ]
    assert first.history.filter(status=ClaimStatus.PAID).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_payers_at_once_mark_a_claim_paid_once(approved, monkeypatch):
    """Both officials' forms are valid (the claim is approved for both), then both mark it
    at the same moment (the barrier): the lock lets one through, the other finds it paid."""
    claim = approved[0]
    officials = [
        make_user("payer", ["satakunnan-hyvinvointialue"], username=f"payer-{n}") for n in (1, 2)
    ]
    barrier = threading.Barrier(2, timeout=20)
    mark_paid = services.mark_paid

    def wait_then_mark(*args, **kwargs):
        barrier.wait()
        return mark_paid(*args, **kwargs)

    monkeypatch.setattr(services, "mark_paid", wait_then_mark)
    answers, errors = {}, []

    def post(user, reference):
        try:
            client = Client()
            client.force_login(user)
            response = client.post(URL, payment([claim], reference=reference))
            answers[reference] = texts(response)
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=(user, f"VIITE-{n}"))
        for n, user in enumerate(officials, 1)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    claim.refresh_from_db()
    winner = claim.payment_reference
    loser = ({"VIITE-1", "VIITE-2"} - {winner}).pop()
    assert answers[winner] == ["1 palkkiovaatimus merkittiin maksetuksi."]
    assert len(answers[loser]) == 1 and "oli jo merkitty maksetuksi" in answers[loser][0]
    assert claim.history.filter(status=ClaimStatus.PAID).count() == 1


def test_only_the_paying_organisations_official_marks_paid(
    client, approved, coordinator, superuser
):
    for user in (coordinator, superuser):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, payment(approved)).status_code == 403
    # Rauma's official does not pay the county's claims: they are no choice of theirs.
    client.force_login(make_user("payer", ["rauma"], username="rauma-payer"))
    assert client.get(URL).context["rows"] == []
    response = client.post(URL, payment(approved))
    assert response.status_code == 200
    assert response.context["form"].errors["claims"]
    assert not FeeClaim.objects.filter(status=ClaimStatus.PAID).exists()


def test_a_claim_not_approved_cannot_be_paid(payer, guardian, approved):
    submitted = FeeClaimFactory(assignment=approved[0].assignment, **LATER_PERIOD)
    with pytest.raises(Exception, match="ei ole hyväksytty"):
        services.mark_paid([submitted], by=payer, paid_at=PAID_ON, reference="X")
    submitted.refresh_from_db()
    assert submitted.status == ClaimStatus.SUBMITTED


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("paid_at", (timezone.localdate() + datetime.timedelta(days=1)), "rahat on maksettu"),
        ("paid_at", datetime.date(1999, 12, 31), "vuosien 2000 ja 2100"),
        ("payment_reference", "   ", "Tämä kenttä vaaditaan"),
    ],
)
def test_a_payment_needs_a_date_that_has_come_and_a_reference(
    client, payer, approved, field, value, error
):
    client.force_login(payer)
    data = payment(approved)
    data[field] = value.isoformat() if hasattr(value, "isoformat") else value
    response = client.post(URL, data)
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors[field])
    assert not FeeClaim.objects.filter(status=ClaimStatus.PAID).exists()


def test_the_database_keeps_a_payment_whole(approved, payer):
    claim = approved[0]
    # Paid without a date or a reference.
    with pytest.raises(DatabaseError), transaction.atomic():
        FeeClaim.objects.filter(pk=claim.pk).update(status=ClaimStatus.PAID)
    with pytest.raises(DatabaseError), transaction.atomic():
        FeeClaim.objects.filter(pk=claim.pk).update(
            status=ClaimStatus.PAID, paid_at=PAID_ON, payment_reference=""
        )
    # Only an approved claim becomes paid.
    submitted = FeeClaimFactory(assignment=claim.assignment, **LATER_PERIOD)
    with pytest.raises(DatabaseError, match="Cannot update"), transaction.atomic():
        FeeClaim.objects.filter(pk=submitted.pk).update(
            status=ClaimStatus.PAID, paid_at=PAID_ON, payment_reference="X"
        )
    # A paid claim stays paid, as it was paid.
    services.mark_paid([claim], by=payer, paid_at=PAID_ON, reference="MAKSU")
    for change in (
        {"status": ClaimStatus.APPROVED, "paid_at": None, "payment_reference": ""},
        {"payment_reference": "TOINEN"},
        {"fee": claim.fee + 1},
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            FeeClaim.objects.filter(pk=claim.pk).update(**change)
    # Its text can still be erased (retention).
    FeeClaim.objects.filter(pk=claim.pk).update(description="")


def test_the_coordinator_sees_what_is_unpaid_after_the_set_days(
    client, coordinator, approved, payer, settings
):
    settings.FEE_CLAIM_UNPAID_DAYS = 30
    late, recent = approved
    FeeClaim.objects.filter(pk=late.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=31)
    )
    paid_late = FeeClaimFactory(
        assignment=late.assignment,
        paid=True,
        decided_at=timezone.now() - datetime.timedelta(days=60),
        period_start=datetime.date(2026, 3, 1),
        period_end=datetime.date(2026, 3, 31),
    )
    client.force_login(coordinator)

    response = client.get(reverse("fees:claim_list"), {"status": "unpaid"})

    assert list(response.context["claims"]) == [late]
    page = response.content.decode()
    assert "Hyväksytty, maksamatta 30 päivän jälkeen" in page  # the filter's choice
    assert "Maksamatta 30 päivän jälkeen" in page  # the late claim highlighted
    everything = client.get(reverse("fees:claim_list")).content.decode()
    assert everything.count("Maksamatta 30 päivän jälkeen") == 1  # not the recent one
    assert "Maksettu 15.4.2026" in everything  # the paid one, with its date
    assert recent in client.get(reverse("fees:claim_list")).context["claims"]
    assert paid_late.status == ClaimStatus.PAID


def test_a_payment_row_shows_the_claim_and_keeps_its_tick_after_an_error(client, payer, approved):
    """Rendered through Jinja2 (issue 18): each claim's link, guardian, period, total and
    its labelled checkbox; sent back with an error, the ticked one stays ticked and
    points at the error."""
    first, second = approved
    client.force_login(payer)
    html = client.get(URL).content.decode()
    assert f'<a href="{first.get_absolute_url()}">{first.reference}</a>' in html
    assert first.assignment.guardian.full_name in html
    assert '<td data-label="Jakso">1.1.2026–28.1.2026</td>' in html
    assert '<td data-label="Yhteensä (€)">450,00</td>' in html
    label = f'<span class="visually-hidden">Palkkiovaatimus {first.reference} maksettu</span>'
    assert label in html
    html = client.post(URL, {**payment([second]), "paid_at": ""}).content.decode()
    ticked = f'value="{second.uuid}" id="id_claims_1" checked'
    assert ticked in html
    assert f'value="{first.uuid}" id="id_claims_0">' in html
