"""Form fields for what people type: a time of day, a whole number with commas."""

import re

from django import forms
from django.core.exceptions import ValidationError

from . import rules


class GovukTimeField(forms.CharField):
    """A time of day as people type it ("9am", "5:30pm", "17:30"), read by rules.parse_time.

    `what` completes "Enter …" ("the opening time").
    """

    def __init__(self, *, what: str, **kwargs):
        kwargs.setdefault("help_text", "For example, 9am, 5:30pm or 17:30")
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter {what}"
        self.error_messages["invalid"] = f"Enter {what} as a time of day, like 9am or 5:30pm"
        self.widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})

    def prepare_value(self, value):
        return rules.time_words(value) if hasattr(value, "hour") else value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        parsed = rules.parse_time(text)
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class WholeNumberField(forms.IntegerField):
    """A whole number typed in a text input, with thousands separators allowed ("3,300")."""

    widget = forms.TextInput

    def __init__(self, *, what: str, example: str, **kwargs):
        super().__init__(**kwargs)
        self.error_messages["invalid"] = f"Enter {what} as a whole number, like {example}"
        self.widget.attrs.update({"inputmode": "numeric", "spellcheck": "false"})

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[,\s]", "", value)
            if value and not value.isascii():
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        for name in ("min", "max", "step"):
            attrs.pop(name, None)
        return attrs


def range_messages(field, what: str, least: int, most: int) -> None:
    field.error_messages["min_value"] = f"{what[0].upper()}{what[1:]} must be {least} or more"
    field.error_messages["max_value"] = f"{what[0].upper()}{what[1:]} must be {most:,} or fewer"
