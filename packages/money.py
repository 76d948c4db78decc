"""Money in pounds and pence: always Decimal, never float."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

PENNY = Decimal("0.01")

# What people type around an amount: a pound sign, thousands separators and
# spaces (a pasted "£ 2,500" or a non-breaking space). Whatever is left must be
# an amount in ASCII digits: Python's Decimal() also reads "１０" (full-width)
# or "٢٥" (Arabic-Indic) as numbers, which nobody means as pounds.
_DECORATION = re.compile(r"[£,\s]")
_AMOUNT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def amount_text(value: str) -> str | None:
    """The amount typed, without "£", commas and spaces; None if it is not one.

    "" stays "" (the field's own "required" message answers it).
    """
    plain = _DECORATION.sub("", value)
    if plain and not _AMOUNT.fullmatch(plain):
        return None
    return plain


def format_money(amount: Decimal) -> str:
    """£1,234.50; a negative amount as −£1,234.50."""
    amount = Decimal(amount).quantize(PENNY)
    sign = "−" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


class MoneyField(forms.DecimalField):
    """A pounds-and-pence input that accepts what people type: "£2,500", "2500.00".

    `what` names the amount in the error messages ("the value of the package").
    """

    widget = forms.TextInput

    def __init__(self, *, what: str, max_value=Decimal("9999999999.99"), **kwargs):
        own_messages = kwargs.pop("error_messages", None) or {}
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", PENNY)
        super().__init__(max_value=max_value, **kwargs)
        example = "like 2500 or 2500.00"
        what_cap = what[0].upper() + what[1:]
        too_big = f"{what_cap} must be less than £10,000,000,000"
        self.error_messages.update(
            {
                "invalid": f"Enter {what} in pounds and pence, {example}",
                "max_decimal_places": f"Enter {what} to the nearest penny, {example}",
                "max_digits": too_big,
                "max_whole_digits": too_big,
                "max_value": too_big,
                "min_value": f"{what_cap} must be at least £0.01",
            }
        )
        self.error_messages.update(own_messages)
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})

    def to_python(self, value):
        if isinstance(value, str):
            value = amount_text(value)
            if value is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def widget_attrs(self, widget):
        # A plain text input: a number input mangles "2,500" and the GOV.UK
        # guidance is not to use type=number for money.
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        return attrs
