import uuid

import pytest

from fees.factories import PayeeFactory
from guardianship.factories import GuardianFactory


@pytest.fixture
def media(settings, tmp_path):
    """Receipts go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def guardian(guardian_user):
    """The signed-in guardian, with their payee details (a claim needs them)."""
    guardian = GuardianFactory(user=guardian_user, email="gina@example.invalid")
    PayeeFactory(guardian=guardian)
    return guardian


@pytest.fixture
def case(guardian):
    """The guardian's appointed case: one child, paid by the county."""
    from fees.tests.test_claims import appointed_case

    return appointed_case(guardian)


def claim_form_data(key=None, expenses=(), initial=0, **fields):
    """The claim form as a browser posts it: `expenses` rows of the formset, the first
    `initial` of them existing ones (with their `id`)."""
    data = {
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "hours": "6,5",
        "fee": "450,00",
        "description": "Neuvottelut",
        "idempotency_key": str(key or uuid.uuid4()),
        "expenses-TOTAL_FORMS": str(len(expenses)),
        "expenses-INITIAL_FORMS": str(initial),
        **fields,
    }
    for number, row in enumerate(expenses):
        data.update({f"expenses-{number}-{name}": value for name, value in row.items()})
    return data
