import datetime

import pytest
from django.db import DataError, IntegrityError, transaction

from municipalities.factories import MembershipFactory, MunicipalityFactory, OrganisationFactory
from municipalities.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def refused(**kwargs):
    # A too-long value is refused by the column type (DataError), the rest by constraints.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Organisation.objects.create(**kwargs)


def test_a_duplicate_code_is_refused_by_the_database():
    refused(kind=OrganisationKind.MUNICIPALITY, name="Toinen Pori", slug="toinen-pori", code="609")


def test_a_duplicate_slug_is_refused_by_the_database():
    refused(kind=OrganisationKind.NGO, name="Pori ry", slug="pori")


@pytest.mark.parametrize("code", ["60", "6090", "abc", "6a9"])
def test_a_code_must_be_three_digits(code):
    refused(kind=OrganisationKind.MUNICIPALITY, name="Huono", slug="huono", code=code)


def test_only_municipalities_have_a_code():
    refused(kind=OrganisationKind.NGO, name="Järjestö", slug="jarjesto", code="998")


def test_validity_dates_must_be_ordered():
    refused(
        kind=OrganisationKind.NGO,
        name="Aikamatkaaja",
        slug="aikamatkaaja",
        valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2023, 1, 1),
    )


def test_a_membership_dates_must_be_ordered():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(
            valid_from=datetime.date(2024, 1, 1), valid_to=datetime.date(2023, 12, 31)
        )


def test_the_same_membership_is_refused_twice():
    member = MunicipalityFactory()
    authority = OrganisationFactory(kind=OrganisationKind.JOINT_AUTHORITY)
    MembershipFactory(member=member, authority=authority)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(member=member, authority=authority)
