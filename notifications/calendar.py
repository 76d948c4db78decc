"""Working days: weekdays that are not bank holidays in England and Wales.

Deadlines such as "respond within 10 working days" count these. Pure
functions over data shipped here, so they are tested without a database and
behave the same on every machine, whatever its locale or network.
"""

from datetime import date, timedelta

# Bank holidays in England and Wales, from the UK government's published list
# (https://www.gov.uk/bank-holidays, also as https://www.gov.uk/bank-holidays.json),
# including substitute days: when Christmas Day, Boxing Day or New Year's Day
# falls at a weekend, the holiday moves to the next weekday(s). 2024 to 2027 are
# as published; 2028 to 2030 follow the same fixed rules (Easter from the
# Western computus) and must be checked against the list when GOV.UK publishes
# those years, since a one-off holiday (a coronation, a jubilee) can be added.
BANK_HOLIDAYS = (
    # 2024
    date(2024, 1, 1),  # New Year's Day
    date(2024, 3, 29),  # Good Friday
    date(2024, 4, 1),  # Easter Monday
    date(2024, 5, 6),  # Early May bank holiday
    date(2024, 5, 27),  # Spring bank holiday
    date(2024, 8, 26),  # Summer bank holiday
    date(2024, 12, 25),  # Christmas Day
    date(2024, 12, 26),  # Boxing Day
    # 2025
    date(2025, 1, 1),
    date(2025, 4, 18),
    date(2025, 4, 21),
    date(2025, 5, 5),
    date(2025, 5, 26),
    date(2025, 8, 25),
    date(2025, 12, 25),
    date(2025, 12, 26),
    # 2026
    date(2026, 1, 1),
    date(2026, 4, 3),
    date(2026, 4, 6),
    date(2026, 5, 4),
    date(2026, 5, 25),
    date(2026, 8, 31),
    date(2026, 12, 25),
    date(2026, 12, 28),  # Boxing Day (substitute day: 26 December is a Saturday)
    # 2027
    date(2027, 1, 1),
    date(2027, 3, 26),
    date(2027, 3, 29),
    date(2027, 5, 3),
    date(2027, 5, 31),
    date(2027, 8, 30),
    date(2027, 12, 27),  # Christmas Day (substitute day)
    date(2027, 12, 28),  # Boxing Day (substitute day)
    # 2028
    date(2028, 1, 3),  # New Year's Day (substitute day)
    date(2028, 4, 14),
    date(2028, 4, 17),
    date(2028, 5, 1),
    date(2028, 5, 29),
    date(2028, 8, 28),
    date(2028, 12, 25),
    date(2028, 12, 26),
    # 2029
    date(2029, 1, 1),
    date(2029, 3, 30),
    date(2029, 4, 2),
    date(2029, 5, 7),
    date(2029, 5, 28),
    date(2029, 8, 27),
    date(2029, 12, 25),
    date(2029, 12, 26),
    # 2030
    date(2030, 1, 1),
    date(2030, 4, 19),
    date(2030, 4, 22),
    date(2030, 5, 6),
    date(2030, 5, 27),
    date(2030, 8, 26),
    date(2030, 12, 25),
    date(2030, 12, 26),
)

_HOLIDAYS = frozenset(BANK_HOLIDAYS)
FIRST_COVERED = date(2024, 1, 1)
LAST_COVERED = date(2030, 12, 31)


def is_working_day(day: date, holidays=_HOLIDAYS) -> bool:
    """Monday to Friday and not a bank holiday."""
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, n: int, holidays=_HOLIDAYS) -> date:
    """The date `n` working days after `start` (start itself is not counted).

    `add_working_days(friday, 1)` is the next Monday, or Tuesday if Monday is a
    bank holiday. With n == 0 it returns `start` unchanged. Dates outside
    BANK_HOLIDAYS' years count weekends only, so a deadline is never lost; it
    is only less exact.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            n -= 1
    return day


def subtract_working_days(end: date, n: int, holidays=_HOLIDAYS) -> date:
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
