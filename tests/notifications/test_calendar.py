"""Working days: weekends and England and Wales bank holidays are skipped."""

from datetime import date

import pytest

from notifications.calendar import BANK_HOLIDAYS, add_working_days, is_working_day


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 11, 23), 0, date(2026, 11, 23)),  # Monday, nothing to add
        (date(2026, 11, 23), 1, date(2026, 11, 24)),  # Monday to Tuesday
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday to Monday, over the weekend
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # from a Saturday
        (date(2026, 11, 23), 10, date(2026, 12, 7)),  # two working weeks
        # Christmas 2026: Boxing Day is a Saturday, so Monday 28th is its substitute.
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        # ... and New Year's Day (Friday 1 January 2027) too.
        (date(2026, 12, 31), 1, date(2027, 1, 4)),
        (date(2026, 12, 21), 10, date(2027, 1, 7)),
        # Christmas 2027 falls on a weekend: both holidays move to Mon 27 and Tue 28.
        (date(2027, 12, 24), 1, date(2027, 12, 29)),
        # New Year's Day 2028 is a Saturday: Monday 3 January is its substitute.
        (date(2027, 12, 31), 1, date(2028, 1, 4)),
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April.
        (date(2026, 4, 2), 1, date(2026, 4, 7)),
        (date(2026, 3, 30), 10, date(2026, 4, 15)),
        # Easter 2025, and the early May bank holiday a fortnight later.
        (date(2025, 4, 17), 1, date(2025, 4, 22)),
        (date(2025, 4, 17), 10, date(2025, 5, 6)),
        # A week across the financial-year boundary (Easter Monday 2029 is 2 April).
        (date(2029, 3, 29), 2, date(2029, 4, 4)),
    ],
)
def test_it_counts_working_days_skipping_weekends_and_bank_holidays(start, n, expected):
    assert add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 25), False),  # Christmas Day, a Friday
        (date(2026, 12, 28), False),  # substitute Boxing Day
        (date(2026, 12, 29), True),
        (date(2026, 8, 31), False),  # summer bank holiday
        (date(2026, 11, 28), False),  # a Saturday
        (date(2026, 11, 30), True),
    ],
)
def test_it_knows_which_days_are_working_days(day, working):
    assert is_working_day(day) is working


def test_it_refuses_a_negative_count():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1)


# Easter Sundays, from the Church of England's published table of dates.
EASTER_SUNDAYS = {
    2024: date(2024, 3, 31),
    2025: date(2025, 4, 20),
    2026: date(2026, 4, 5),
    2027: date(2027, 3, 28),
    2028: date(2028, 4, 16),
    2029: date(2029, 4, 1),
    2030: date(2030, 4, 21),
}


@pytest.mark.parametrize("year", sorted(EASTER_SUNDAYS))
def test_every_year_has_eight_weekday_holidays_including_easter(year):
    easter = EASTER_SUNDAYS[year]
    in_year = [d for d in BANK_HOLIDAYS if d.year == year]
    assert len(in_year) == 8
    assert all(d.weekday() < 5 for d in in_year)  # substitute days, never a weekend
    good_friday, easter_monday = in_year[1], in_year[2]
    assert (easter - good_friday).days == 2
    assert (easter_monday - easter).days == 1
