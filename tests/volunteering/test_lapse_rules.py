"""The pure rules of closing dates: when the organisation is reminded, the "Closes in N days"
tag, and how far a closing date may be extended. No database."""

from datetime import date, timedelta

import pytest

from volunteering import lapse_rules

TODAY = date(2027, 1, 31)  # 12 months on is 31 January 2028


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.mark.parametrize(
    ("status", "ends_in", "reminded", "due"),
    [
        ("published", 8, False, False),
        ("published", 7, False, True),
        ("published", 0, False, True),
        ("published", -1, False, False),  # past its date: closed, not reminded
        ("published", 3, True, False),  # once per closing date
        ("submitted", 3, False, False),  # the broker has it, not the public
        ("closed", 3, False, False),
    ],
)
def test_when_the_organisation_is_reminded(status, ends_in, reminded, due):
    assert (
        lapse_rules.reminder_due(
            status=status, ends_on=days(ends_in), today=TODAY, reminded=reminded
        )
        is due
    )


@pytest.mark.parametrize(
    ("status", "ends_on", "tag"),
    [
        ("published", days(0), 0),
        ("published", days(1), 1),
        ("published", days(7), 7),
        ("published", days(8), None),
        ("published", days(-1), None),
        ("draft", days(2), None),
        ("published", None, None),
    ],
)
def test_the_closes_in_tag(status, ends_on, tag):
    assert lapse_rules.closes_in(status=status, ends_on=ends_on, today=TODAY) == tag


CURRENT = days(5)


def problem(new, *, status="published", ends_on=CURRENT, one_off_date=None):
    return lapse_rules.extension_problem(
        new, status=status, ends_on=ends_on, one_off_date=one_off_date, today=TODAY
    )


@pytest.mark.parametrize(
    ("new", "changes", "says"),
    [
        (days(-1), {"ends_on": days(-2)}, "The new closing date must be today or in the future"),
        (days(5), {}, "The new closing date must be after the current one, 5 February 2027"),
        (days(4), {}, "The new closing date must be after the current one, 5 February 2027"),
        (
            date(2028, 2, 1),
            {},
            "The new closing date must be 31 January 2028 or earlier, 12 months from today",
        ),
        (
            days(21),
            {"one_off_date": days(20)},
            "The new closing date must be on or before the date of the opportunity, "
            "20 February 2027",
        ),
        (days(30), {"status": "closed"}, "This opportunity has closed"),
        (days(30), {"status": "draft"}, "Only a published opportunity's closing date"),
        (days(30), {"status": "submitted"}, "Only a published opportunity's closing date"),
    ],
)
def test_an_extension_is_refused_in_govuk_words(new, changes, says):
    assert says in problem(new, **changes)


@pytest.mark.parametrize(
    ("new", "changes"),
    [
        (days(6), {}),
        (date(2028, 1, 31), {}),  # exactly 12 months from today
        (days(0), {"ends_on": days(-1)}),  # past its date, not yet closed by the job: today
        (days(20), {"one_off_date": days(20)}),  # on the day itself
    ],
)
def test_the_edges_of_an_extension_are_allowed(new, changes):
    assert problem(new, **changes) is None


def test_twelve_months_from_a_month_end_is_that_months_last_day():
    assert lapse_rules.latest_closing_date(date(2027, 2, 28)) == date(2028, 2, 28)
    assert lapse_rules.latest_closing_date(date(2028, 2, 29)) == date(2029, 2, 28)
