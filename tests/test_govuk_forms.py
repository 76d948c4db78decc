"""The GOV.UK date field: its hint and its "real date" message show a date of the right kind."""

from datetime import date

import pytest
import time_machine

from govuk.forms import GovukDateField, GovukForm


class PlanForm(GovukForm):
    starts = GovukDateField(what="the start date", label="Start", require_all_fields=False)
    held = GovukDateField(what="the date it was held", when="past", label="Held")
    ends = GovukDateField(
        what="the end date", label="End", hint="The last day, for example {example}."
    )


@pytest.mark.parametrize("today", [date(2026, 12, 5), date(2031, 2, 28)])
def test_each_hint_is_worked_out_from_today_not_fixed_when_the_code_was_written(today):
    with time_machine.travel(today, tick=False):
        form = PlanForm()
    starts, held = form.fields["starts"], form.fields["held"]
    day, month, year = (int(part) for part in starts.example.split())
    assert date(year, month, day) > today
    day, month, year = (int(part) for part in held.example.split())
    assert date(year, month, day) < today
    assert starts.help_text == f"For example, {starts.example}"
    assert form.fields["ends"].help_text == f"The last day, for example {starts.example}."


def test_a_date_that_is_not_real_names_the_date_and_gives_the_example():
    with time_machine.travel(date(2026, 12, 5), tick=False):
        form = PlanForm(data={"starts_0": "31", "starts_1": "2", "starts_2": "2027"})
        assert not form.is_valid()
    example = form.fields["starts"].example
    assert form.errors["starts"] == [f"The start date must be a real date, like {example}"]
    assert form.errors["held"] == ["Enter the date it was held"]
