"""Working days: weekends and England and Wales bank holidays are skipped, for any year.

The bank holidays come from the `holidays` package; these tests hold it to the
dates GOV.UK publishes (and, past them, to the rules that make them), so a
release that changed them, or a call that asked for the wrong part of the UK,
fails here.
"""

from datetime import date

import pytest

from notifications.calendar import (
    BANK_HOLIDAYS,
    DaysOff,
    add_working_days,
    bank_holidays,
    bank_holidays_between,
    is_working_day,
    subtract_working_days,
)


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
        # Past the end of the table typed by hand until now (2030), which then
        # counted every bank holiday as a working day: Easter 2031 (Good Friday
        # 11 April, Easter Monday 14 April) ...
        (date(2031, 4, 10), 1, date(2031, 4, 15)),
        (date(2031, 4, 7), 10, date(2031, 4, 23)),
        # ... Christmas 2032 (Christmas Day a Saturday, Boxing Day a Sunday:
        # both move, to Monday 27 and Tuesday 28 December) ...
        (date(2032, 12, 24), 1, date(2032, 12, 29)),
        # ... and New Year's Day 2035, a Monday.
        (date(2034, 12, 29), 1, date(2035, 1, 2)),
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
        (date(2026, 11, 30), True),  # St Andrew's Day's substitute in Scotland only
        (date(2031, 4, 11), False),  # Good Friday 2031
        (date(2031, 4, 14), False),  # Easter Monday 2031
        (date(2035, 1, 1), False),  # New Year's Day 2035
        (date(2023, 5, 8), False),  # the coronation of King Charles III, a one-off
        # Bank holidays elsewhere in the UK are working days in England and Wales.
        (date(2026, 1, 2), True),  # 2 January, Scotland
        (date(2026, 8, 3), True),  # the first Monday in August, Scotland
        (date(2026, 3, 17), True),  # St Patrick's Day, Northern Ireland
        (date(2027, 7, 12), True),  # Battle of the Boyne, Northern Ireland
    ],
)
def test_it_knows_which_days_are_working_days(day, working):
    assert is_working_day(day) is working


def test_counting_back_skips_bank_holidays_past_2030_too():
    # Two working days before Wednesday 2 January 2036: New Year's Day is a
    # Tuesday, so Monday 31 and Friday 28 December 2035.
    assert subtract_working_days(date(2036, 1, 2), 2) == date(2035, 12, 28)


def test_one_off_days_off_are_skipped_as_well_as_bank_holidays():
    closure = date(2027, 1, 4)  # a Monday the council closes
    days_off = DaysOff(extra=frozenset({closure}))
    assert is_working_day(closure)
    assert not is_working_day(closure, days_off)
    assert not is_working_day(date(2027, 1, 1), days_off)  # bank holidays still counted
    # From Thursday 31 December 2026: New Year's Day, the weekend, then the closure.
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert add_working_days(date(2026, 12, 31), 1, days_off) == date(2027, 1, 5)
    assert subtract_working_days(date(2027, 1, 5), 1, days_off) == date(2026, 12, 31)


def test_any_set_of_dates_will_do_as_the_holidays():
    # An empty set: weekends only, Christmas Day included as a working day.
    assert add_working_days(date(2026, 12, 24), 1, frozenset()) == date(2026, 12, 25)
    assert is_working_day(date(2026, 12, 25), frozenset())


def test_the_library_is_asked_once_per_year():
    assert bank_holidays(2031) is bank_holidays(2031)
    assert date(2031, 12, 25) in BANK_HOLIDAYS
    assert "2031-12-25" not in BANK_HOLIDAYS  # dates only, not strings that look like them


def test_substitute_days_are_listed_as_gov_uk_names_them_and_weekend_holidays_are_not():
    assert bank_holidays_between(date(2026, 12, 1), date(2027, 1, 31)) == [
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 28), "Boxing Day (substitute day)"),
        (date(2027, 1, 1), "New Year's Day"),
    ]


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
    2031: date(2031, 4, 13),
    2035: date(2035, 3, 25),
    2040: date(2040, 4, 1),
}


@pytest.mark.parametrize("year", sorted(EASTER_SUNDAYS))
def test_every_year_has_eight_weekday_holidays_including_easter(year):
    easter = EASTER_SUNDAYS[year]
    in_year = [day for day, _ in bank_holidays_between(date(year, 1, 1), date(year, 12, 31))]
    assert len(in_year) == 8
    good_friday, easter_monday = in_year[1], in_year[2]
    assert (easter - good_friday).days == 2
    assert (easter_monday - easter).days == 1
    # Every weekday holiday is one deadlines skip.
    assert all(not is_working_day(day) for day in in_year)
