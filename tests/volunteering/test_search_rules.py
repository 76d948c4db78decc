"""The public search's pure decisions: what was typed into a filter, and how a result says
where and when. No database."""

from datetime import date
from decimal import Decimal

import pytest

from volunteering import search_rules


@pytest.mark.parametrize(
    ("typed", "district"),
    [
        ("LE2", "LE2"),
        ("le2", "LE2"),
        (" l e 2 ", "LE2"),
        ("LE2 1AB", "LE2"),
        ("le21ab", "LE2"),
        ("ＬＥ２", "LE2"),  # full-width, as some phones' keyboards type it
        ("LE2\u200b", "LE2"),  # a zero-width space pasted with it
        ("EC1A 1BB", "EC1A"),
        ("le2 1", "LE2"),  # a sector
    ],
)
def test_a_district_or_a_full_postcode_gives_the_district(typed, district):
    assert search_rules.district_of(typed) == (district, "")


@pytest.mark.parametrize("typed", ["Leicester", "2LE", "LE", "LE2 1A", "LE2 1ABC", "L!2"])
def test_anything_else_is_refused_with_an_example(typed):
    district, problem = search_rules.district_of(typed)
    assert district == ""
    assert problem == "Enter a postcode district, like LE2, or a full postcode, like LE2 1AB"


@pytest.mark.parametrize(
    ("typed", "hours"),
    [("3", Decimal("3")), (" 2.5 ", Decimal("2.5")), ("0.5", Decimal("0.5")), ("168", 168)],
)
def test_hours_a_week_from_half_an_hour_to_a_whole_week(typed, hours):
    assert search_rules.hours_of(typed) == (Decimal(hours), "")


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("three", "Enter the hours a week as a number, like 3"),
        ("NaN", "Enter the hours a week as a number, like 3"),
        ("Infinity", "Enter the hours a week as a number, like 3"),
        ("1e400", "A week has 168 hours: enter 168 or fewer"),
        ("0", "Enter at least half an hour (0.5) a week"),
        ("-2", "Enter at least half an hour (0.5) a week"),
        ("168.5", "A week has 168 hours: enter 168 or fewer"),
    ],
)
def test_hours_that_are_not_a_number_or_out_of_range_are_refused(typed, problem):
    assert search_rules.hours_of(typed) == (None, problem)


def test_keywords_are_read_plainly_with_spaces_collapsed():
    assert search_rules.keywords("  ｇａｒｄｅｎ\u200b   helper ") == "garden helper"


@pytest.mark.parametrize(
    ("remote", "district", "words"),
    [(False, "LE2", "LE2"), (True, "LE2", "LE2, or remotely"), (True, "", "Remotely")],
)
def test_where_in_words(remote, district, words):
    assert search_rules.where_words(remote=remote, district=district) == words


@pytest.mark.parametrize(
    ("schedule", "on", "hours", "words"),
    [
        ("one_off", date(2027, 3, 27), None, "One-off, on 27 March 2027"),
        ("regular", None, Decimal("2.5"), "Regular, 2.5 hours a week"),
        ("regular", None, Decimal("3.0"), "Regular, 3 hours a week"),
        ("regular", None, Decimal("10.0"), "Regular, 10 hours a week"),
        ("regular", None, Decimal("1.0"), "Regular, 1 hour a week"),
        ("flexible", None, None, "Flexible, whenever suits you"),
    ],
)
def test_when_in_words(schedule, on, hours, words):
    assert search_rules.when_words(schedule=schedule, one_off_date=on, hours_a_week=hours) == words


@pytest.mark.parametrize(
    ("minimum_age", "suitable", "words"),
    [(16, True, "16 and over"), (17, True, "17 and over"), (16, False, "18 and over")],
)
def test_a_role_not_said_to_suit_under_18s_is_for_adults(minimum_age, suitable, words):
    assert (
        search_rules.minimum_age_words(minimum_age=minimum_age, suitable_for_under_18=suitable)
        == words
    )
