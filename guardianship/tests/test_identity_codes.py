import pytest
from django.core.exceptions import ValidationError

from guardianship.factories import ChildFactory, GuardianshipRequestFactory
from guardianship.forms import validate_identity_code

CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_SIGNS = "+-YXWVUABCDEF"


def code(date, sign, number="998"):
    return f"{date}{sign}{number}{CHECK[int(date + number) % 31]}"


@pytest.mark.parametrize("sign", list(CENTURY_SIGNS))
def test_every_century_sign_of_2023_is_accepted(sign):
    assert validate_identity_code(code("100190", sign)) == code("100190", sign)


def test_a_lowercase_sign_is_stored_upper_case():
    assert validate_identity_code(code("010115", "A").lower()) == code("010115", "A")


def test_a_bad_check_character_is_refused():
    good = code("010115", "A")
    bad = good[:-1] + ("X" if good[-1] != "X" else "Y")
    with pytest.raises(ValidationError) as refused:
        validate_identity_code(bad)
    assert refused.value.code == "invalid_hetu"


@pytest.mark.parametrize("date", ["310215", "300215", "010015", "321215"])
def test_an_impossible_date_is_refused(date):
    with pytest.raises(ValidationError):
        validate_identity_code(code(date, "A"))


@pytest.mark.parametrize("value", ["", "abc", "010115A99", "010115Q998H", "0101150998H"])
def test_malformed_codes_are_refused(value):
    with pytest.raises(ValidationError):
        validate_identity_code(value)


def test_a_temporary_code_is_accepted_and_shown_as_temporary(db):
    child = ChildFactory(identity_code=code("010115", "A", "998"))
    assert child.has_temporary_code
    assert not ChildFactory(identity_code=code("010115", "A", "123")).has_temporary_code


@pytest.mark.django_db
def test_dash_and_y_variants_are_different_people():
    dash, y = code("100190", "-", "999"), code("100190", "Y", "999")
    assert (dash, y) == ("100190-999P", "100190Y999P")
    request = GuardianshipRequestFactory(children=0)
    ChildFactory(request=request, identity_code=dash)
    ChildFactory(request=request, identity_code=y)
    assert sorted(request.children.values_list("identity_code", flat=True)) == sorted([dash, y])
