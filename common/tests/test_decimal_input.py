"""Numbers as Finns type them (issue 15, part 1): a decimal comma, a space of any kind
between the thousands, and never a silent ×10 or ×100 when the input is ambiguous."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from common.forms import LocalizedDecimalField

NBSP, NARROW_NBSP = "\u00a0", "\u202f"


def field():
    return LocalizedDecimalField(max_digits=10, decimal_places=2, required=False)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("3,5", Decimal("3.5")),
        ("210,00", Decimal("210.00")),
        ("1 234,50", Decimal("1234.50")),
        (f"1{NBSP}234,50", Decimal("1234.50")),
        (f"1{NARROW_NBSP}234,50", Decimal("1234.50")),
        ("21 000", Decimal("21000")),
        ("1 234 567,5", Decimal("1234567.5")),
        (" 42,40 € ", Decimal("42.40")),
        # A decimal point is read as one: never as a thousands separator (×10, ×1000).
        ("3.5", Decimal("3.5")),
        ("", None),
    ],
)
def test_finnish_input_is_read_as_meant(typed, value):
    with translation.override("fi"):
        assert field().clean(typed) == value


@pytest.mark.parametrize(
    "typed",
    [
        "1,2,3",  # two decimal commas
        "12 34",  # a space that does not separate thousands
        "1 2345,00",
        "1.234,50",  # a German thousands point: not a Finnish number
        "1,234.50",
        "3,5,",
        "²",
        "3 ,5",
    ],
)
def test_ambiguous_input_is_refused_with_an_example(typed):
    with translation.override("fi"), pytest.raises(ValidationError) as error:
        field().clean(typed)
    # The message shows how to write it: "3,5" and "1 234,50" in Finnish.
    assert "3,5" in str(error.value.messages[0])
    assert f"1{NBSP}234,50" in str(error.value.messages[0])


def test_in_english_numbers_are_written_the_finnish_way_too():
    # Finnish number formats in every language (issue 16, part 7: FORMAT_MODULE_PATH):
    # an English page reads 3,5 as three and a half, never 35.
    with translation.override("en"):
        assert field().clean("3,5") == Decimal("3.5")
        assert field().clean(f"1{NBSP}234,50") == Decimal("1234.50")


def test_a_value_is_never_rounded_silently():
    with translation.override("fi"), pytest.raises(ValidationError):
        field().clean("3,555")


def test_the_input_is_text_with_a_decimal_keyboard_and_shows_finnish_grouping():
    class AmountForm(forms.Form):
        amount = LocalizedDecimalField(max_digits=10, decimal_places=2)

    with translation.override("fi"):
        html = str(AmountForm(initial={"amount": Decimal("1234.50")})["amount"])
        assert 'type="text"' in html and 'inputmode="decimal"' in html
        assert f'value="1{NBSP}234,50"' in html
        # What was typed comes back as typed when the form has an error elsewhere.
        assert 'value="3,5"' in str(AmountForm({"amount": "3,5"})["amount"])


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("21000"), f"21{NBSP}000,00"),
        (Decimal("1234.5"), f"1{NBSP}234,50"),
        (Decimal("0.005"), "0,01"),
        (Decimal("42.40"), "42,40"),
        (None, ""),
    ],
)
def test_amounts_are_shown_in_finnish_with_groups(value, shown):
    with translation.override("fi"):
        html = Template("{% load portal %}{{ value|amount }}").render(Context({"value": value}))
    assert html == shown
