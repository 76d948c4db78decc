"""No cap or strand is ever exceeded when many officers agree at the same moment.

Real threads, real connections, real PostgreSQL row locks: these tests commit
(transaction=True), and each round releases 8 threads together. With the
locks taken out of `agree_package`, the race is lost in most rounds (the
numbers are in the issue note); with them, in none.
"""

import pytest

from reports.invariants import check_ledger

from .concurrency import (
    THREADS,
    agreeing_while_cancelling,
    many_officers_one_organisation,
    many_organisations_one_strand,
    paying_while_agreeing,
)

ROUNDS = 25

pytestmark = pytest.mark.django_db(transaction=True)


def summaries_hold():
    """The dashboard's strands and months and both ledger summaries equal the ledger rows."""
    return {f.rule.code for f in check_ledger().findings} & {"S1", "S2", "S5"} == set()


def test_eight_officers_at_once_never_take_an_organisation_over_its_cap():
    tally = many_officers_one_organisation(ROUNDS)
    assert tally.errors == []
    assert tally.over == 0
    # Exactly the cap (2) got through each round; everyone else was told why.
    assert tally.outcomes == {"ok": 2 * ROUNDS, "refused": (THREADS - 2) * ROUNDS}
    assert summaries_hold()


def test_eight_organisations_at_once_never_take_a_strand_below_zero():
    tally = many_organisations_one_strand(ROUNDS)
    assert tally.errors == []
    assert tally.over == 0
    # £7,000 buys three £2,000 packages, every round.
    assert tally.outcomes == {"ok": 3 * ROUNDS, "refused": (THREADS - 3) * ROUNDS}
    assert summaries_hold()


def test_cancelling_and_agreeing_at_once_neither_deadlocks_nor_overshoots():
    tally = agreeing_while_cancelling(ROUNDS)
    assert tally.errors == []  # a deadlock would be an OperationalError here
    assert tally.over == 0
    assert summaries_hold()


def test_paying_and_agreeing_at_once_lose_no_increment_of_the_running_totals():
    tally = paying_while_agreeing(ROUNDS)
    assert tally.errors == []
    assert tally.outcomes == {"ok": THREADS * ROUNDS}
    assert summaries_hold()
