"""The manager's deadlines pages: the journey's deadlines, and a form to change one.

The deadlines live in `notifications` (the lowest layer, so every app's jobs
can read them), which may not import the GOV.UK form base from
`organisations`; the pages that edit them are wired together here.
"""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from govuk.forms import GovukForm
from notifications.calendar import BANK_HOLIDAYS, DaysOff
from notifications.deadlines import change_deadline
from notifications.models import Deadline, DeadlineUnit
from notifications.rules import Period
from notifications.working_days import non_working_days
from organisations.permissions import require_manager
from packages.forms import submitted

MOST = 365


def _number(label: str, what: str, name: str, hint: str = "") -> forms.IntegerField:
    """`what` completes "Enter …"; `name` starts "… must be 1 or more"."""
    # A text input, as GOV.UK advises for numbers; the field still checks the range.
    field = forms.IntegerField(
        label=label,
        help_text=hint,
        min_value=1,
        max_value=MOST,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    field.error_messages.update(
        required=f"Enter {what}",
        invalid=f"Enter {what} as a whole number, like 8",
        min_value=f"{name} must be 1 or more",
        max_value=f"{name} must be {MOST} or fewer",
    )
    return field


def _unit(label: str, what: str) -> forms.ChoiceField:
    field = forms.ChoiceField(label=label, widget=forms.RadioSelect, choices=DeadlineUnit.choices)
    field.error_messages.update(required=f"Select what {what} is counted in")
    return field


class DeadlineForm(GovukForm):
    """A deadline's numbers. Only what the row has is asked: a period, a reminder, or both."""

    def __init__(self, *args, row: Deadline, today, holidays: DaysOff = BANK_HOLIDAYS, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.holidays = holidays
        layout = []
        if row.period is not None:
            self.fields["period"] = _number(
                "Time allowed",
                "the time allowed",
                "The time allowed",
                hint="A whole number, like 8.",
            )
            self.fields["period_unit"] = _unit("The time allowed is counted in", "the time allowed")
            layout += [
                Field.text("period", field_width=3),
                Field.radios("period_unit", inline=True, legend_size=Size.SMALL),
            ]
        if row.remind_before is not None:
            self.fields["remind_before"] = _number(
                "Send the reminder this long before the deadline",
                "how long before the deadline to send the reminder",
                "The reminder time",
                hint="A whole number, like 2.",
            )
            self.fields["remind_unit"] = _unit(
                "The reminder time is counted in", "the reminder time"
            )
            layout += [
                Field.text("remind_before", field_width=3),
                Field.radios("remind_unit", inline=True, legend_size=Size.SMALL),
            ]
        self.helper.layout = Layout(*layout)

    def _period(self, number: str, unit: str) -> Period | None:
        data = self.cleaned_data
        if data.get(number) is None or not data.get(unit):
            return None
        return Period(data[number], data[unit])

    def clean(self):
        super().clean()
        period = self._period("period", "period_unit")
        remind = self._period("remind_before", "remind_unit")
        # A reminder due on or before the step starts would go out at once.
        if period and remind:
            due = period.after(self.today, self.holidays)
            if remind.before(due, self.holidays) <= self.today:
                self.add_error(
                    "remind_before",
                    f"The reminder must come sooner than the time allowed ({period})",
                )
        return self.cleaned_data

    def periods(self) -> dict:
        return {
            "period": self._period("period", "period_unit"),
            "remind_before": self._period("remind_before", "remind_unit"),
        }


@login_required
@require_GET
def deadline_list(request):
    require_manager(request.user)
    rows = [(row, row.as_rule()) for row in Deadline.objects.select_related("updated_by")]
    return render(request, "pages/deadline_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def deadline_edit(request, code):
    require_manager(request.user)
    row = get_object_or_404(Deadline, code=code)
    initial = {
        "period": row.period,
        "period_unit": row.period_unit,
        "remind_before": row.remind_before,
        "remind_unit": row.remind_unit,
    }
    form = DeadlineForm(
        submitted(request),
        initial=initial,
        row=row,
        today=timezone.localdate(),
        holidays=non_working_days(),
    )
    if request.method == "POST" and form.is_valid():
        change_deadline(row, by=request.user, **form.periods())
        messages.success(request, f"“{row.name}” has been saved. It applies from the next run.")
        return redirect("deadlines")
    return render(request, "pages/deadline_form.html", {"form": form, "row": row})
