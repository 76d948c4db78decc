"""Amounts as people type them: pound signs, commas and spaces, but ASCII digits only."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from packages.money import MoneyField, amount_text


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("£2,500", "2500"),
        (" £ 2,500.50 ", "2500.50"),
        ("2\u00a0500", "2500"),  # a non-breaking space pasted from a document
        (".5", ".5"),
        ("-5", "-5"),  # left for the field's "at least £0.01" message
        ("", ""),
    ],
)
def test_what_people_type_around_an_amount_is_set_aside(typed, plain):
    assert amount_text(typed) == plain


@pytest.mark.parametrize(
    "typed",
    [
        "１０",  # full-width digits
        "٢٥",  # Arabic-Indic digits
        "२५००",  # Devanagari digits
        "2,5٠٠",  # one digit from another script
        "²",  # a superscript two
        "10.5.1",
        "1e3",  # Decimal() reads exponents; nobody means £1,000 by it
        "NaN",
        "Infinity",
        "￡10",  # a full-width pound sign
    ],
)
def test_anything_but_ascii_digits_is_not_an_amount(typed):
    assert amount_text(typed) is None
    field = MoneyField(what="the amount")
    with pytest.raises(ValidationError) as refused:
        field.clean(typed)
    assert refused.value.messages == ["Enter the amount in pounds and pence, like 2500 or 2500.00"]


def test_a_plain_amount_is_pounds_and_pence():
    assert MoneyField(what="the amount").clean("£1,234.5") == Decimal("1234.5")


def test_a_field_can_word_its_own_messages():
    field = MoneyField(what="the cover", error_messages={"invalid": "Enter the cover in pounds"})
    with pytest.raises(ValidationError) as refused:
        field.clean("１")
    assert refused.value.messages == ["Enter the cover in pounds"]
    # The messages it does not word itself stay MoneyField's.
    with pytest.raises(ValidationError) as refused:
        field.clean("0")
    assert refused.value.messages == ["The cover must be at least £0.01"]
