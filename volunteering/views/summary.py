"""An opportunity's answers as the check-answers pages show them: one row per answer,
each with the error a refusal gave it (if any) and where on the form to change it."""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..forms import OpportunityForm

# Where the error summary's link lands: a set of radios on its first option, a date on its
# first box (as includes/error_summary.html does for a form).
_RADIOS = {"theme", "schedule", "minimum_age"}
_DATES = {"one_off_date", "starts_on", "ends_on"}


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    value: str
    error: str
    anchor: str


def _shown(opportunity, name: str) -> str:
    value = getattr(opportunity, name)
    if name == "schedule":
        return opportunity.get_schedule_display()
    if name == "theme":
        return value.name if value else ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name in _DATES:
        return date_format(value, "j F Y") if value else ""
    if name == "venue_postcode" and opportunity.remote:
        return value or _("Remote only")
    return "" if value is None else str(value)


def anchor_for(name: str) -> str:
    suffix = "_1" if name in _RADIOS else "_0" if name in _DATES else ""
    return f"id_{name}{suffix}"


def rows_of(opportunity, problems: dict | None = None) -> list[Row]:
    """Every answer, in the form's order, with its label and any problem."""
    problems = problems or {}
    fields = OpportunityForm.base_fields
    return [
        Row(
            name=name,
            label=str(field.label),
            value=_shown(opportunity, name),
            error=problems.get(name, ""),
            anchor=anchor_for(name),
        )
        for name, field in fields.items()
    ]


def problems_not_on_a_row(problems: dict) -> list[str]:
    return [
        message for name, message in problems.items() if name not in OpportunityForm.base_fields
    ]
