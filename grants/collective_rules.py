"""Pure decisions about collective issues: no writes, no database needed.

An issue is collective when more than one representative raised it; a meeting
is recorded after it happens, never ahead of it.
"""

from datetime import date

# At least this many representatives raise a collective issue ("more than one").
FEWEST_REPRESENTATIVES = 2
TOO_FEW_REPRESENTATIVES = "Select at least two representatives who raised the issue"


def raised_by_problem(count: int) -> str | None:
    """The GOV.UK error when fewer than two representatives are named, or None."""
    if count < FEWEST_REPRESENTATIVES:
        return TOO_FEW_REPRESENTATIVES
    return None


def meeting_date_problem(held_on: date, today: date) -> str | None:
    """A meeting is recorded once held: its date is today or earlier."""
    if held_on > today:
        return "The date of the meeting must be today or in the past"
    return None
