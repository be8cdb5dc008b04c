"""The payee (issue 15, part 3): the guardian's payee details kept once on their profile,
checked with python-stdnum, copied onto each claim when it is sent, so that later edits
never rewrite a sent claim; only the guardian edits them, coordinators see them."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.factories import make_user
from fees import services
from fees.enums import ClaimStatus, PayeeKind
from fees.factories import FeeClaimFactory, PayeeFactory
from fees.models import FeeClaim, Payee
from fees.tests.conftest import claim_form_data
from guardianship.factories import GuardianFactory

pytestmark = pytest.mark.django_db

EDIT = "fees:payee_edit"
IBAN = "FI21 1234 5600 0007 85"


def payee_data(**fields):
    return {
        "kind": "person",
        "name": "Gina Guardian",
        "iban": IBAN,
        "business_id": "",
        "tax_note": "Ennakonpidätys 20 %.",
        **fields,
    }


@pytest.fixture
def newcomer(guardian_user):
    """A guardian who has given no payee details yet."""
    return GuardianFactory(user=guardian_user)


def test_the_guardian_saves_their_payee_details(client, newcomer):
    client.force_login(newcomer.user)
    assert client.get(reverse(EDIT)).status_code == 200
    response = client.post(reverse(EDIT), payee_data(iban="fi21 1234 5600 0007 85"))
    assert response.status_code == 302
    payee = Payee.objects.get(guardian=newcomer)
    assert (payee.kind, payee.iban) == (PayeeKind.PERSON, "FI2112345600000785")
    # Shown again in groups of four, and the IBAN never lands in the address.
    html = client.get(reverse(EDIT)).content.decode()
    assert f'value="{IBAN}"' in html
    assert "FI21" not in response["Location"]


@pytest.mark.parametrize(
    "iban", ["FI21 1234 5600 0007 86", "FI21 1234", "DE00 1234 5678 9012 3456 78", "12345"]
)
def test_an_iban_with_a_wrong_check_or_format_is_refused(client, newcomer, iban):
    client.force_login(newcomer.user)
    response = client.post(reverse(EDIT), payee_data(iban=iban))
    assert response.status_code == 200
    assert "iban" in response.context["form"].errors
    assert not Payee.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "business", "business_id": ""}, "business_id"),
        ({"kind": "business", "business_id": "2077474-1"}, "business_id"),  # check digit
        ({"kind": "business", "business_id": "207747"}, "business_id"),
        ({"kind": "person", "business_id": "2077474-0"}, "business_id"),
        ({"kind": "person", "vat_registered": "on"}, "vat_registered"),
    ],
)
def test_the_business_id_is_checked(client, newcomer, fields, field):
    client.force_login(newcomer.user)
    response = client.post(reverse(EDIT), payee_data(**fields))
    assert field in response.context["form"].errors
    assert not Payee.objects.exists()


def test_a_business_with_a_valid_business_id_is_saved(client, newcomer):
    client.force_login(newcomer.user)
    data = payee_data(
        kind="business", name="Edunvalvonta Oy", business_id="20774740", vat_registered="on"
    )
    assert client.post(reverse(EDIT), data).status_code == 302
    payee = Payee.objects.get()
    assert (payee.business_id, payee.vat_registered) == ("2077474-0", True)


def test_the_claim_form_asks_for_the_payee_details_first(client, newcomer, media):
    from fees.tests.test_claims import appointed_case

    case = appointed_case(newcomer)
    client.force_login(newcomer.user)
    url = reverse("fees:claim_create", args=[case.uuid])
    html = client.get(url).content.decode()
    assert f'href="{reverse(EDIT)}"' in html
    response = client.post(url, claim_form_data())
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not FeeClaim.objects.exists()


def test_the_payee_is_copied_on_submit_and_kept_after_the_profile_changes(
    client, guardian, case, coordinator, media
):
    client.force_login(guardian.user)
    response = client.post(reverse("fees:claim_create", args=[case.uuid]), claim_form_data())
    assert response.status_code == 302
    claim = FeeClaim.objects.get()
    assert (claim.payee_kind, claim.payee_name, claim.payee_iban) == (
        PayeeKind.PERSON,
        guardian.full_name,
        "FI2112345600000785",
    )
    assert claim.payee_tax_note == "Verokortti: ennakonpidätys 20 %."

    new = payee_data(
        kind="business",
        name="Uusi Oy",
        iban="FI14 1009 3000 1234 58",
        business_id="2077474-0",
        vat_registered="on",
    )
    assert client.post(reverse(EDIT), new).status_code == 302
    services.approve_claim(claim, by=coordinator)
    claim.refresh_from_db()
    assert (claim.payee_name, claim.payee_iban, claim.payee_business_id) == (
        guardian.full_name,
        "FI2112345600000785",
        "",
    )
    assert claim.status == ClaimStatus.APPROVED


def test_a_corrected_claim_is_paid_to_the_details_of_its_new_sending(client, guardian, case, media):
    claim = FeeClaimFactory(assignment=case, returned=True, payee_name="Vanha", payee_iban="X")
    Payee.objects.filter(guardian=guardian).update(name="Gina G.")
    client.force_login(guardian.user)
    response = client.post(
        reverse("fees:claim_edit", args=[claim.uuid]), claim_form_data(hours="7")
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.payee_name, claim.payee_iban) == ("Gina G.", "FI2112345600000785")


def test_the_claim_page_shows_the_account_masked(client, coordinator, guardian, case):
    claim = FeeClaimFactory(assignment=case, **Payee.objects.get(guardian=guardian).snapshot())
    client.force_login(coordinator)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "FI… 0785" in html
    assert "FI2112345600000785" not in html and IBAN not in html


# Who may see and edit them ------------------------------------------------------------


def detail(guardian):
    return reverse("fees:payee_detail", args=[guardian.uuid])


def test_another_guardian_sees_nothing_of_them(client, guardian):
    other = GuardianFactory(user=make_user("guardian", username="otto"))
    client.force_login(other.user)
    assert client.get(detail(guardian)).status_code == 404
    # Their own page is their own payee's, whatever they post.
    client.post(reverse(EDIT), payee_data(name="Otto"))
    assert Payee.objects.get(guardian=guardian).name == guardian.full_name


def test_the_guardian_sees_their_own(client, guardian):
    client.force_login(guardian.user)
    assert client.get(detail(guardian)).status_code == 200


def test_a_coordinator_reads_them_but_does_not_edit(client, coordinator, guardian):
    client.force_login(coordinator)
    response = client.get(detail(guardian))
    assert response.status_code == 200
    assert IBAN in response.content.decode()
    assert client.get(reverse(EDIT)).status_code == 403
    assert client.post(reverse(EDIT), payee_data(name="X")).status_code == 403
    assert Payee.objects.get().name == guardian.full_name


@pytest.mark.parametrize("role", ["sw_pori", "planner", "payer"])
def test_other_roles_are_refused(client, request, guardian, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(detail(guardian)).status_code == 403
    assert client.get(reverse(EDIT)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, guardian):
    for url in (reverse(EDIT), detail(guardian)):
        assert client.get(url).status_code == 302


def test_the_database_refuses_a_business_without_an_id(guardian):
    with pytest.raises(IntegrityError), transaction.atomic():
        Payee.objects.filter(guardian=guardian).update(kind=PayeeKind.BUSINESS)


def test_the_payee_factory_makes_valid_details():
    PayeeFactory(business=True).full_clean()
    PayeeFactory().full_clean()
