"""Counts of people, shown so that no one can be identified (the equality monitoring
figures, issue 14). Pure: each function takes counts already worked out.

- `small_number`: a count from 1 to 4 is shown as "fewer than 5" ("<5" in a download);
  0, and 5 or more, as they are.
- `protected`: the answers to one question by one group of volunteers, whose total the
  reader knows (the volunteering figures show it). A single hidden count would be the total
  less the others, so whenever a count is hidden the smallest count of 5 or more is
  withheld too; if a reader who knows this rule could still tell a hidden count exactly,
  every count is withheld. When the total itself is 1 to 4, every count (0 included) is
  "fewer than 5": the group is too small to describe at all.

Whether to withhold is decided from what is shown and the total alone, never from the
hidden counts, so the choice itself tells a reader nothing more (tests/reports/
test_small_numbers.py checks this by trying every table that would be shown the same).
"""

import math
from collections.abc import Sequence

SMALL = 5
FEWER_THAN_5 = "fewer than 5"
FEWER_THAN_5_SHORT = "<5"  # in downloads
WITHHELD = "withheld"

_FEWER, _WITHHELD = object(), object()


def is_small(count: int) -> bool:
    """1 to 4 people: few enough that they might be recognised."""
    return 0 < count < SMALL


def small_number(count: int, fewer: str = FEWER_THAN_5) -> int | str:
    """`count`, or `fewer` when it is 1 to 4."""
    return fewer if is_small(count) else count


def _bounds(shown: list, i: int) -> tuple[int, float]:
    """The least and most hidden count i could be, to a reader who knows the rule."""
    if shown[i] is _FEWER:
        return 1, SMALL - 1
    # The withheld count is the smallest of 5 or more, the first of equals.
    earlier = [c - 1 for c in shown[:i] if c not in (_FEWER, _WITHHELD) and c > 0]
    later = [c for c in shown[i + 1 :] if c not in (_FEWER, _WITHHELD) and c > 0]
    return SMALL, min(earlier + later, default=math.inf)


def _could_be_worked_out(shown: list, total: int) -> bool:
    """Whether a hidden count in `shown` has only one value that adds up to `total`."""
    hidden = [i for i, cell in enumerate(shown) if cell in (_FEWER, _WITHHELD)]
    hidden_sum = total - sum(cell for cell in shown if cell not in (_FEWER, _WITHHELD))
    bounds = {i: _bounds(shown, i) for i in hidden}
    for i, (low, high) in bounds.items():
        others = [bound for j, bound in bounds.items() if j != i]
        least = max(low, hidden_sum - sum(high for _low, high in others))
        most = min(high, hidden_sum - sum(low for low, _high in others))
        if least >= most:
            return True
    return False


def protected(
    counts: Sequence[int], fewer: str = FEWER_THAN_5, withheld: str = WITHHELD
) -> list[int | str]:
    """Each count as it may be shown: the count itself, `fewer` (1 to 4) or `withheld`."""
    total = sum(counts)
    if is_small(total):
        return [fewer] * len(counts)
    shown = [_FEWER if is_small(count) else count for count in counts]
    if _FEWER not in shown:
        return list(counts)
    large = [i for i, count in enumerate(counts) if count >= SMALL]
    if large:
        shown[min(large, key=lambda i: (counts[i], i))] = _WITHHELD
        if not _could_be_worked_out(shown, total):
            words = {id(_FEWER): fewer, id(_WITHHELD): withheld}
            return [words.get(id(cell), cell) for cell in shown]
    return [withheld] * len(counts)
