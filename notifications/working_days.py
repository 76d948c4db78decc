"""The days working-day deadlines skip: bank holidays, and the one-off days managers add.

Every calculation that counts working days reads the days off here, once per
call site (a job run, a page), never cached for longer, so a day a manager adds
counts from the next calculation on:

    days_off = non_working_days()          # one query
    is_working_day(today, days_off)

Deadlines read through notifications.deadlines carry them already.
"""

from datetime import date

from django.db import IntegrityError, transaction

from audit.services import record

from .calendar import DaysOff, bank_holiday_name, bank_holidays_between
from .models import NonWorkingDay
from .rules import add_months, day_off_refusal


class DayOffRefused(ValueError):
    """A one-off day that cannot be added or removed; `reason` is shown word for word."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def non_working_days() -> DaysOff:
    """Bank holidays for any year plus every one-off day managers have added (one query)."""
    return DaysOff(extra=frozenset(NonWorkingDay.objects.values_list("date", flat=True)))


def coming_bank_holidays(today: date) -> list[tuple[date, str]]:
    """(date, name) of each weekday bank holiday from `today` to the same day next year."""
    return bank_holidays_between(today, add_months(today, 12))


@transaction.atomic
def add_non_working_day(*, day: date, name: str, by, today: date) -> NonWorkingDay:
    """Add a one-off day off and record who added it; refuses a day that is already off.

    The unique date backs the check: two managers adding the same day at once
    get one row, and the second is told it is already there.
    """
    if not by.is_manager:
        raise PermissionError("Only managers can add days off.")
    added = NonWorkingDay.objects.filter(date=day).values_list("name", flat=True).first()
    reason = day_off_refusal(day, today=today, bank_holiday=bank_holiday_name(day), added=added)
    if reason:
        raise DayOffRefused(reason)
    try:
        with transaction.atomic():
            row = NonWorkingDay.objects.create(date=day, name=name, created_by=by)
    except IntegrityError:
        raise DayOffRefused(f"{day:%-d %B %Y} has already been added") from None
    record(
        actor=by,
        action="working_day.added",
        obj=row,
        reason=f"{row.name} on {day:%-d %B %Y} is not a working day",
        data={"date": day.isoformat(), "name": row.name},
    )
    return row


def can_remove(row: NonWorkingDay, today: date) -> bool:
    """Only days still to come (or today): deadlines already counted over a past day stand."""
    return row.date >= today


@transaction.atomic
def remove_non_working_day(row: NonWorkingDay, *, by, today: date) -> None:
    """Remove a one-off day off (from today on) and record who removed it."""
    if not by.is_manager:
        raise PermissionError("Only managers can remove days off.")
    row = NonWorkingDay.objects.select_for_update().filter(pk=row.pk).first()
    if row is None:
        return  # removed by someone else meanwhile: the outcome asked for
    if not can_remove(row, today):
        raise DayOffRefused(f"{row.date:%-d %B %Y} has passed, so it cannot be removed")
    record(
        actor=by,
        action="working_day.removed",
        obj=row,
        reason=f"{row.name} on {row.date:%-d %B %Y} is a working day again",
        data={"date": row.date.isoformat(), "name": row.name},
    )
    row.delete()
