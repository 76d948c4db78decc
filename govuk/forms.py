"""A GOV.UK form base and date field, shared by every app's forms."""

from datetime import date, timedelta

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone


def example_date(today: date, when: str) -> date:
    """A believable example for a date hint: about four months ahead, or two back.

    Hints show the shape of the answer with a date the person could give:
    a future date for a plan or an end, a past one for something that happened.
    """
    if when == "past":
        return today - timedelta(days=61)
    return today + timedelta(days=118)


def as_date_input(day: date) -> str:
    """27 3 2027: how a person types a date into the three boxes."""
    return f"{day.day} {day.month} {day.year}"


class GovukForm(forms.Form):
    """A form with a crispy GOV.UK helper and a specific message for each missing answer.

    `required_messages` maps a field to the GOV.UK-style sentence shown when it
    is left empty ("Enter your organisation's name"). Every `GovukDateField`
    gets its example worked out from today, so a hint never shows a date gone by.
    """

    required_messages: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.required_messages.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
        today = timezone.localdate()
        for field in self.fields.values():
            if isinstance(field, GovukDateField):
                field.set_example(today)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.form_show_errors = True


class GovukDateField(DateInputField):
    """A GOV.UK date input whose messages name the date being asked for.

    `what` completes "Enter …" ("the date of the session"). `when` is "future"
    (the default) or "past": the example in the hint and in the "must be a real
    date" message is a date of that kind, worked out from today by the form.
    `hint` is the help text, with `{example}` where the example goes; `None`
    leaves the field's own help text alone.
    """

    def __init__(
        self,
        *,
        what: str,
        when: str = "future",
        hint: str | None = "For example, {example}",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.what = what
        self.when = when
        self.hint = hint
        self.example = as_date_input(example_date(date.today(), when))
        self.error_messages["required"] = f"Enter {what}"
        self.error_messages["incomplete"] = f"Enter {what} as a day, month and year"
        self._set_validators()

    def set_example(self, today: date) -> None:
        self.example = as_date_input(example_date(today, self.when))
        if self.hint is not None:
            self.help_text = self.hint.format(example=self.example)
        self._set_validators()

    def _set_validators(self) -> None:
        for sub in self.fields:
            sub.validators = [RegexValidator(r"^[0-9]+$", self._not_real())]

    def _not_real(self) -> str:
        return f"{self.what[0].upper()}{self.what[1:]} must be a real date, like {self.example}"

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except (ValidationError, OverflowError):  # OverflowError: a year beyond a C long
            raise ValidationError(self._not_real()) from None
