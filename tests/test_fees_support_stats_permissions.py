"""Who may open which page of the fee claims, the statistics and the support to guardians:
a permission matrix, one test per cell, beside tests/test_guardianship_permissions.py.

Every URL of fees:, stats: and support: against every role, today's answers: anonymous
users are sent to the login page, a role the view refuses gets 403, a claim outside the
user's scope 404, and what is allowed answers 200, a file, or redirects after a POST.
A refused request changes nothing.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.factories import make_user
from accounts.roles import Role
from fees.enums import ClaimStatus
from fees.factories import (
    ClaimExpenseFactory,
    ContactEntryFactory,
    FeeClaimFactory,
    PayeeFactory,
)
from fees.forms import ClaimDecisionForm
from fees.models import FeeClaim, Payee
from guardianship.enums import AccessBasis, AccessOutcome
from guardianship.factories import AssignmentFactory, GuardianFactory
from guardianship.models import AccessLog, GuardianTraining
from support.factories import TrainingEventFactory, TrainingSignupFactory
from support.models import SupportContact, TrainingEvent, TrainingSignup
from tests.matrix import ROLES, assert_redirect, cells, role_users
from tests.url_walk import url_names

pytestmark = pytest.mark.django_db

# fmt: off
MATRIX = [
    # endpoint                          anon coord plan pori rauma lead  g_in g_out payer super
    ("fees:claim_list",                 302, 200, 403, 403, 403,  403,  200, 200,  200,  200),
    # Only the case's own guardian claims; the administrator is no guardian.
    ("fees:claim_create",               302, 403, 403, 403, 403,  403,  200, 404,  403,  403),
    # A payer sees a claim only once it is approved.
    ("fees:claim_detail",               302, 200, 403, 403, 403,  403,  200, 404,  404,  200),
    ("fees:claim_detail_approved",      302, 200, 403, 403, 403,  403,  200, 404,  200,  200),
    ("fees:claim_detail_paid",          302, 200, 403, 403, 403,  403,  200, 404,  200,  200),
    ("fees:claim_edit",                 302, 403, 403, 403, 403,  403,  200, 404,  403,  403),
    ("fees:claim_decide",               302, 302, 403, 403, 403,  403,  403, 403,  403,  302),
    ("fees:claim_receipt",              302, 200, 403, 403, 403,  403,  200, 404,  404,  200),
    ("fees:claim_receipt_approved",     302, 200, 403, 403, 403,  403,  200, 404,  200,  200),
    # The contact log is the case's own guardian's; removing answers with the log again.
    ("fees:contact_log",                302, 403, 403, 403, 403,  403,  200, 404,  403,  403),
    ("fees:contact_delete",             302, 403, 403, 403, 403,  403,  302, 404,  403,  403),
    ("fees:claim_export",               302, 200, 403, 403, 403,  403,  403, 403,  200,  200),
    # Only the paying organisation's official marks claims paid: not even the coordinator.
    ("fees:claim_payment",              302, 403, 403, 403, 403,  403,  403, 403,  200,  403),
    ("fees:claim_payment_mark",         302, 403, 403, 403, 403,  403,  403, 403,  302,  403),
    # The payee details (issue 15, part 3): each guardian edits their own (no identifier
    # in the address); a guardian's are seen by the coordinators and that guardian only.
    ("fees:payee_edit",                 302, 403, 403, 403, 403,  403,  200, 200,  403,  403),
    ("fees:payee_detail",               302, 200, 403, 403, 403,  403,  200, 404,  403,  200),
    ("stats:index",                     302, 200, 200, 403, 403,  403,  403, 403,  403,  200),
    ("stats:csv",                       302, 200, 200, 403, 403,  403,  403, 403,  403,  200),
    ("support:training_list",           302, 200, 403, 403, 403,  403,  200, 200,  403,  200),
    ("support:training_create",         302, 200, 403, 403, 403,  403,  403, 403,  403,  200),
    ("support:training_detail",         302, 200, 403, 403, 403,  403,  403, 403,  403,  200),
    # The other guardian is signed up already: back to the list with an error.
    ("support:training_signup",         302, 403, 403, 403, 403,  403,  302, 302,  403,  403),
    ("support:training_attendance",     302, 302, 403, 403, 403,  403,  403, 403,  403,  302),
    ("support:support_contact_create",  302, 302, 403, 403, 403,  403,  403, 403,  403,  302),
]
# fmt: on


def receipt():
    return SimpleUploadedFile("kuitti.pdf", b"%PDF-1.4 kuitti", content_type="application/pdf")


class World:
    """The assigned guardian's appointed case (a Pori request the county pays) with a
    submitted, a returned and an approved claim, the first and the last with a receipt;
    another guardian of the pool; and an upcoming training."""

    def __init__(self, coordinator, guardian_user):
        self.guardian = GuardianFactory(user=guardian_user)
        self.payee = PayeeFactory(guardian=self.guardian)
        self.other_guardian = GuardianFactory(
            user=make_user(Role.GUARDIAN, username="otto-other-guardian")
        )
        self.case = AssignmentFactory(
            appointed=True, guardian=self.guardian, proposed_by=coordinator
        )
        self.claim = FeeClaimFactory(assignment=self.case)
        self.expense = ClaimExpenseFactory(claim=self.claim, receipt=receipt())
        self.returned = FeeClaimFactory(
            assignment=self.case,
            returned=True,
            decided_by=coordinator,
            period_start=datetime.date(2026, 4, 1),
            period_end=datetime.date(2026, 6, 30),
        )
        self.approved = FeeClaimFactory(
            assignment=self.case,
            approved=True,
            decided_by=coordinator,
            period_start=datetime.date(2025, 10, 1),
            period_end=datetime.date(2025, 12, 31),
        )
        self.approved_expense = ClaimExpenseFactory(claim=self.approved, receipt=receipt())
        self.paid = FeeClaimFactory(
            assignment=self.case,
            paid=True,
            decided_by=coordinator,
            period_start=datetime.date(2025, 7, 1),
            period_end=datetime.date(2025, 9, 30),
        )
        self.contact = ContactEntryFactory(assignment=self.case)
        self.training = TrainingEventFactory(capacity=10)
        TrainingSignupFactory(event=self.training, guardian=self.other_guardian)


def endpoint(world, name):
    """(method, url, data) of a row of the matrix."""
    claim = {"uuid": world.claim.uuid}
    training = {"uuid": world.training.uuid}
    table = {
        "fees:claim_list": ("get", reverse("fees:claim_list"), None),
        "fees:claim_create": (
            "get",
            reverse("fees:claim_create", kwargs={"assignment": world.case.uuid}),
            None,
        ),
        "fees:claim_detail": ("get", reverse("fees:claim_detail", kwargs=claim), None),
        "fees:claim_detail_approved": (
            "get",
            reverse("fees:claim_detail", kwargs={"uuid": world.approved.uuid}),
            None,
        ),
        "fees:claim_detail_paid": (
            "get",
            reverse("fees:claim_detail", kwargs={"uuid": world.paid.uuid}),
            None,
        ),
        "fees:claim_payment": ("get", reverse("fees:claim_payment"), None),
        "fees:claim_payment_mark": (
            "post",
            reverse("fees:claim_payment"),
            {
                "claims": [str(world.approved.uuid)],
                "paid_at": "2026-11-02",
                "payment_reference": "MAKSU-2026-11",
            },
        ),
        "fees:claim_edit": (
            "get",
            reverse("fees:claim_edit", kwargs={"uuid": world.returned.uuid}),
            None,
        ),
        "fees:claim_decide": (
            "post",
            reverse("fees:claim_decide", kwargs=claim),
            # The approval's confirmation, after the amounts were shown.
            ClaimDecisionForm.confirmation(world.claim).initial,
        ),
        "fees:claim_receipt": (
            "get",
            reverse("fees:claim_receipt", kwargs={**claim, "expense": world.expense.uuid}),
            None,
        ),
        "fees:claim_receipt_approved": (
            "get",
            reverse(
                "fees:claim_receipt",
                kwargs={"uuid": world.approved.uuid, "expense": world.approved_expense.uuid},
            ),
            None,
        ),
        "fees:contact_log": (
            "get",
            reverse("fees:contact_log", kwargs={"assignment": world.case.uuid}),
            None,
        ),
        "fees:contact_delete": (
            "post",
            reverse(
                "fees:contact_delete",
                kwargs={"assignment": world.case.uuid, "entry": world.contact.uuid},
            ),
            {},
        ),
        "fees:claim_export": (
            "get",
            reverse("fees:claim_export", kwargs={"fmt": "csv"}),
            {"payer": "satakunnan-hyvinvointialue", "start": "2025-01-01", "end": "2026-12-31"},
        ),
        "fees:payee_edit": ("get", reverse("fees:payee_edit"), None),
        "fees:payee_detail": (
            "get",
            reverse("fees:payee_detail", kwargs={"uuid": world.guardian.uuid}),
            None,
        ),
        "stats:index": ("get", reverse("stats:index"), None),
        "stats:csv": ("get", reverse("stats:csv", kwargs={"table": "municipalities"}), None),
        "support:training_list": ("get", reverse("support:training_list"), None),
        "support:training_create": ("get", reverse("support:training_create"), None),
        "support:training_detail": (
            "get",
            reverse("support:training_detail", kwargs=training),
            None,
        ),
        "support:training_signup": (
            "post",
            reverse("support:training_signup", kwargs=training),
            {},
        ),
        "support:training_attendance": (
            "post",
            reverse("support:training_attendance", kwargs=training),
            {"attended": [str(world.other_guardian.pk)]},
        ),
        "support:support_contact_create": (
            "post",
            reverse("support:support_contact_create", kwargs={"uuid": world.guardian.uuid}),
            {"kind": "consultation", "date": "2026-11-20", "notes": "Puhelinneuvonta."},
        ),
    }
    return table[name]


@pytest.fixture
def world(settings, tmp_path, coordinator, guardian_user):
    settings.MEDIA_ROOT = tmp_path  # the receipts
    return World(coordinator, guardian_user)


@pytest.fixture
def users(request, world):
    return role_users(request, world.other_guardian.user)


def snapshot():
    return (
        sorted(FeeClaim.objects.values_list("pk", "status")),
        sorted(Payee.objects.values_list("pk", "name", "iban")),
        sorted(TrainingSignup.objects.values_list("pk", "attended")),
        TrainingEvent.objects.count(),
        SupportContact.objects.count(),
        GuardianTraining.objects.count(),
    )


@pytest.mark.parametrize(("name", "role", "expected"), cells(MATRIX))
def test_permission_matrix(client, world, users, name, role, expected):
    user = users[role]
    if user is not None:
        client.force_login(user)
    method, url, data = endpoint(world, name)
    before = snapshot()

    response = getattr(client, method)(url, data or {})

    assert response.status_code == expected, (name, role)
    if expected == 302:
        assert_redirect(response, role)
    if expected in (403, 404) or role == "anonymous":
        assert snapshot() == before
    if name.startswith(("fees:claim_detail", "fees:claim_receipt")) and expected in (200, 404):
        # A claim names the child: an allowed look is logged with its basis (the payer's
        # official as "payer"), a refused one as refused, without a basis.
        rows = AccessLog.objects.filter(user=user)
        if expected == 200:
            assert rows.filter(outcome=AccessOutcome.ALLOWED).exclude(basis="").exists()
        else:
            assert rows.filter(outcome=AccessOutcome.REFUSED, basis="").exists()
            assert not rows.filter(outcome=AccessOutcome.ALLOWED).exists()


def test_the_payers_official_sees_an_approved_claim_on_the_payers_basis(client, world, users):
    client.force_login(users["payer"])
    assert (
        client.get(reverse("fees:claim_detail", kwargs={"uuid": world.approved.uuid})).status_code
        == 200
    )
    assert set(AccessLog.objects.filter(user=users["payer"]).values_list("basis", flat=True)) == {
        AccessBasis.PAYER
    }


def test_the_matrix_covers_every_url_of_fees_stats_and_support():
    rows = {row[0] for row in MATRIX}
    names = url_names("fees:") | url_names("stats:") | url_names("support:")
    missing = [n for n in names if not any(r == n or r.startswith(f"{n}_") for r in rows)]
    assert missing == []
    assert len(ROLES) == len(MATRIX[0]) - 1


# What an allowed POST does, besides redirecting: (endpoint, role, what must be true after).
EFFECTS = [
    ("fees:claim_decide", "coordinator", lambda w: w.claim.status == ClaimStatus.APPROVED),
    ("fees:claim_decide", "superuser", lambda w: w.claim.status == ClaimStatus.APPROVED),
    (
        "fees:claim_payment_mark",
        "payer",
        lambda w: FeeClaim.objects.get(pk=w.approved.pk).payment_reference == "MAKSU-2026-11",
    ),
    (
        "support:training_signup",
        "guardian_assigned",
        lambda w: w.training.signups.filter(guardian=w.guardian).exists(),
    ),
    # Signed up already: nothing more.
    ("support:training_signup", "guardian_other", lambda w: w.training.signups.count() == 1),
    (
        "support:training_attendance",
        "coordinator",
        lambda w: w.training.signups.get(guardian=w.other_guardian).attended is True,
    ),
    (
        "support:support_contact_create",
        "coordinator",
        lambda w: w.guardian.support_contacts.filter(
            recorded_by__username="alice-coordinator"
        ).exists(),
    ),
]


@pytest.mark.parametrize(
    ("name", "role", "after"),
    [pytest.param(*row, id=f"{row[0]}-{row[1]}") for row in EFFECTS],
)
def test_what_an_allowed_post_does(client, world, users, name, role, after):
    client.force_login(users[role])
    _method, url, data = endpoint(world, name)

    assert client.post(url, data).status_code == 302

    world.claim.refresh_from_db()
    assert after(world)
