"""The delivery journey's pure rules, at and either side of every boundary. No database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from delivery.rules import (
    average_rating,
    claim_amount_decision,
    planned_dates_decision,
    session_date_decision,
)

VALUE = Decimal("2000.00")
TODAY = date(2026, 6, 2)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("amount", "note", "allowed", "words"),
    [
        (VALUE, "", True, ""),
        (VALUE, "A note is fine too", True, ""),
        (VALUE - Decimal("0.01"), "One session fewer", True, ""),
        (Decimal("0.01"), "Nearly nothing done", True, ""),
        (VALUE - Decimal("0.01"), "", False, "Enter a note saying why you are claiming less"),
        (VALUE - Decimal("0.01"), "   ", False, "Enter a note saying why you are claiming less"),
        (VALUE + Decimal("0.01"), "It took longer", False, "no more than £2,000.00"),
        (Decimal("0.00"), "Nothing", False, "must be at least £0.01"),
        (Decimal("-5.00"), "Negative", False, "must be at least £0.01"),
        (None, "", False, "Enter the amount you are claiming"),
    ],
)
def test_claim_amount(amount, note, allowed, words):
    decision = claim_amount_decision(amount=amount, value=VALUE, note=note)

    assert bool(decision) is allowed
    assert words in decision.reason
    assert (decision.reason == "") is allowed


def test_a_claim_above_the_value_says_only_a_manager_can_pay_more():
    decision = claim_amount_decision(amount=Decimal("2500.00"), value=VALUE, note="")

    assert "only a manager can approve a higher payment" in decision.reason


LATEST = TODAY + timedelta(days=180)


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (TODAY, TODAY, ""),  # one day, starting today
        (TODAY, LATEST, ""),  # ending on the last day allowed
        (TODAY + DAY, TODAY + 10 * DAY, ""),
        (TODAY - DAY, TODAY + DAY, "The planned start date must be today or in the future"),
        (
            TODAY + 2 * DAY,
            TODAY + DAY,
            "The planned end date must be the same as or after 4 June 2026, the planned start date",
        ),
        (
            TODAY,
            LATEST + DAY,
            "The planned end date must be the same as or before 29 November 2026, the last day "
            "this package can be delivered",
        ),
    ],
)
def test_planned_dates(start, end, words):
    decision = planned_dates_decision(start=start, end=end, today=TODAY, latest_end=LATEST)

    assert bool(decision) is (words == "")
    assert words in decision.reason


ACCEPTED_ON = TODAY - timedelta(days=20)


@pytest.mark.parametrize(
    ("held_on", "words"),
    [
        (TODAY, ""),
        (ACCEPTED_ON, ""),  # the day it was accepted
        (TODAY + DAY, "The date of the session must be today or in the past"),
        (ACCEPTED_ON - DAY, "must be on or after 13 May 2026, when you accepted the request"),
    ],
)
def test_session_date(held_on, words):
    decision = session_date_decision(held_on=held_on, today=TODAY, accepted_on=ACCEPTED_ON)

    assert bool(decision) is (words == "")
    assert words in decision.reason


@pytest.mark.parametrize(
    ("scores", "average"),
    [
        ([], None),
        ([5], Decimal("5.0")),
        ([1], Decimal("1.0")),
        ([1, 2], Decimal("1.5")),
        ([4, 4, 4, 5], Decimal("4.3")),  # 4.25: a half rounds up, as in the database
        ([1, 1, 1, 2], Decimal("1.3")),  # 1.25
        ([1, 1, 2], Decimal("1.3")),  # 1.333…
        ([4, 5, 5], Decimal("4.7")),  # 4.666…
        ([1, 2, 3, 4, 5], Decimal("3.0")),
    ],
)
def test_average_rating(scores, average):
    result = average_rating(scores)

    assert result == average
    if result is not None:
        assert result.as_tuple().exponent == -1  # always one decimal place
