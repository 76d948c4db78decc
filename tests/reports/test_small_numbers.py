"""The small-numbers rule: counts of 1 to 4 are hidden, and so is whatever would let a reader
who knows the total work one out."""

import pytest

from reports.small_numbers import (
    FEWER_THAN_5,
    FEWER_THAN_5_SHORT,
    WITHHELD,
    is_small,
    protected,
    small_number,
)

F, W = FEWER_THAN_5, WITHHELD


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, 0), (1, F), (2, F), (3, F), (4, F), (5, 5), (6, 6), (1234, 1234)],
)
def test_a_count_from_1_to_4_is_shown_as_fewer_than_5(count, shown):
    assert small_number(count) == shown
    assert is_small(count) == (shown == F)


def test_downloads_say_less_than_5():
    assert small_number(3, FEWER_THAN_5_SHORT) == "<5"
    assert small_number(5, FEWER_THAN_5_SHORT) == 5


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        # nothing small: every count as it is, zeros too
        ([10, 20, 0, 30], [10, 20, 0, 30]),
        ([0, 0, 0], [0, 0, 0]),
        # a small count alone would be the total less the others: the smallest count of 5
        # or more is withheld too (the first of equals)
        ([3, 0, 12, 40], [F, 0, W, 40]),
        ([0, 7, 12, 3], [0, W, 12, F]),
        ([3, 0, 0, 0, 0, 40], [F, 0, 0, 0, 0, W]),
        ([1, 6, 20], [F, W, 20]),
        ([2, 3, 10, 8], [F, F, 10, W]),
        ([1, 1, 0, 6], [F, F, 0, W]),
        # 1 and 5 could only be that (6 less at least 5); a withheld 5 beside a 5 shown
        # could only be 5; no count of 5 or more to withhold: every count withheld
        ([1, 5, 20], [W, W, W]),
        ([3, 5, 5, 20], [W, W, W, W]),
        ([4, 3, 0], [W, W, W]),
        # a group of 1 to 4 in all: every answer hidden, zeros included
        ([2, 1, 0], [F, F, F]),
        ([0, 1, 0], [F, F, F]),
    ],
)
def test_protected_hides_what_could_be_worked_out_from_the_total(counts, shown):
    assert protected(counts) == shown


def test_protected_takes_the_words_of_a_download():
    assert protected([3, 0, 12, 40], "<5", "withheld") == ["<5", 0, "withheld", 40]


@pytest.mark.parametrize("first", range(0, 9))
@pytest.mark.parametrize("second", range(0, 9))
@pytest.mark.parametrize("rest", [0, 5, 9, 30])
def test_no_hidden_count_can_be_told_from_the_total_and_the_others(first, second, rest):
    """Brute force: of the tables with the same total and the same counts shown that this
    rule would show the same way, each hidden count takes more than one value."""
    counts = [first, second, rest, 6]
    shown = protected(counts)
    hidden = [i for i, cell in enumerate(shown) if isinstance(cell, str)]
    alike = []
    for values in _spread(len(hidden), sum(counts[i] for i in hidden)):
        other = list(counts)
        for i, value in zip(hidden, values, strict=True):
            other[i] = value
        if protected(other) == shown:
            alike.append(other)
    for i in hidden:
        assert len({other[i] for other in alike}) > 1, (counts, shown, i)


def _spread(cells: int, total: int):
    """Every way of putting `total` into `cells` counts."""
    if cells == 0:
        if total == 0:
            yield []
        return
    for first in range(total + 1):
        for rest in _spread(cells - 1, total - first):
            yield [first, *rest]
