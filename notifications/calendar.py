"""Working days: weekdays that are not bank holidays in England and Wales.

Deadlines such as "respond within 10 working days" count these. The bank
holidays come from the `holidays` package, which computes them for any year
(Easter from the Western computus, substitute days when a holiday falls at a
weekend, and the one-off days Parliament has added, such as a coronation), so
there is no table to run out. It needs no network: each release ships its
rules, and a new one-off holiday arrives with an upgrade. Until then managers
add such days themselves (notifications.working_days), and a calculation that
should count them is given them as `holidays`.

The functions stay pure: `holidays` is any set-like of dates (`day in
holidays`), by default England and Wales bank holidays alone.
"""

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from holidays import country_holidays


@lru_cache(maxsize=64)
def named_bank_holidays(first_year: int, last_year: int) -> tuple[tuple[date, str], ...]:
    """England and Wales bank holidays from `first_year` to `last_year` inclusive, by date.

    Computed once per year range and kept (a few hundred bytes a year). Wales
    has the same bank holidays as England; Scotland and Northern Ireland have
    others (2 January, St Andrew's Day, St Patrick's Day ...), which are not
    counted. A holiday that falls at a weekend is listed as well as its
    substitute day, as the package gives it; only the weekday matters here.
    Years after the package's last (2100) have none: weekends are still skipped.
    """
    found = country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return tuple(sorted(found.items()))


@lru_cache(maxsize=64)
def bank_holidays(first_year: int, last_year: int | None = None) -> frozenset[date]:
    """The dates of England and Wales bank holidays in those years, cached per year range."""
    return frozenset(day for day, _ in named_bank_holidays(first_year, last_year or first_year))


@dataclass(frozen=True)
class DaysOff:
    """Weekdays that are not working days: bank holidays for any year, plus `extra` dates.

    Set-like (`day in days_off`), so it can be passed as `holidays` below.
    `extra` holds the one-off days managers add (a jubilee, a day the council
    closes); it is a finite set, so its size bounds how far it can stretch a
    period (see notifications.rules.Period.longest_in_days).
    """

    extra: frozenset[date] = frozenset()

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and (day in self.extra or day in bank_holidays(day.year))


# Bank holidays in England and Wales, for any year, and nothing else.
BANK_HOLIDAYS = DaysOff()


def is_working_day(day: date, holidays: Container[date] = BANK_HOLIDAYS) -> bool:
    """Monday to Friday and not in `holidays` (by default, not a bank holiday)."""
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, n: int, holidays: Container[date] = BANK_HOLIDAYS) -> date:
    """The date `n` working days after `start` (start itself is not counted).

    `add_working_days(friday, 1)` is the next Monday, or Tuesday if Monday is a
    bank holiday. With n == 0 it returns `start` unchanged.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            n -= 1
    return day


def subtract_working_days(end: date, n: int, holidays: Container[date] = BANK_HOLIDAYS) -> date:
    """The date `n` working days before `end` (end itself is not counted).

    The mirror of add_working_days: a reminder "2 working days before" a
    Monday deadline falls on the Thursday before, or the Wednesday if that
    Friday is a bank holiday.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    day = end
    while n:
        day -= timedelta(days=1)
        if is_working_day(day, holidays):
            n -= 1
    return day


def _as_gov_uk_names_it(name: str) -> str:
    return name.replace("(observed)", "(substitute day)")


def bank_holidays_between(first: date, last: date) -> list[tuple[date, str]]:
    """(date, name) of each weekday bank holiday from `first` to `last` inclusive.

    For people to read: the days deadlines skip, named as GOV.UK names them
    ("Boxing Day (substitute day)"); a holiday that falls at a weekend is left
    out, since its substitute day is listed.
    """
    return [
        (day, _as_gov_uk_names_it(name))
        for day, name in named_bank_holidays(first.year, last.year)
        if first <= day <= last and day.weekday() < 5
    ]


def bank_holiday_name(day: date) -> str | None:
    """The name of the England and Wales bank holiday on `day`, if there is one."""
    name = dict(named_bank_holidays(day.year, day.year)).get(day)
    return name and _as_gov_uk_names_it(name)
