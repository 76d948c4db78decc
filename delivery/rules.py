"""Pure rules of the delivery journey: no database, so each is tested on its own."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from organisations.rules import Decision
from packages.money import format_money

# Long enough for any accounts package's numbering ("INV-2026-000123/A").
INVOICE_REFERENCE_MAX_LENGTH = 50


def invoice_reference_decision(reference: str) -> Decision:
    """A new claim quotes the provider's own invoice reference, so finance can match it."""
    reference = reference.strip()
    if not reference:
        return Decision(False, "Enter your invoice reference")
    if len(reference) > INVOICE_REFERENCE_MAX_LENGTH:
        return Decision(
            False,
            f"Your invoice reference must be {INVOICE_REFERENCE_MAX_LENGTH} characters or fewer",
        )
    return Decision(True)


def claim_amount_decision(*, amount: Decimal | None, value: Decimal, note: str) -> Decision:
    """A provider's claim: at most the agreed value; less needs a note saying why."""
    if amount is None:
        return Decision(False, "Enter the amount you are claiming")
    if amount <= 0:
        return Decision(False, "The amount you are claiming must be at least £0.01")
    if amount > value:
        return Decision(
            False,
            f"The amount you are claiming must be no more than {format_money(value)}, the value "
            "agreed for this package. If the work cost more, ask a council officer: only a "
            "manager can approve a higher payment",
        )
    if amount < value and not note.strip():
        return Decision(
            False,
            f"Enter a note saying why you are claiming less than the {format_money(value)} agreed",
        )
    return Decision(True)


def planned_dates_decision(*, start: date, end: date, today: date, latest_end: date) -> Decision:
    """Accepting a request: the planned dates must be in order, not in the past, and in time."""
    if start < today:
        return Decision(False, "The planned start date must be today or in the future")
    if end < start:
        return Decision(
            False,
            f"The planned end date must be the same as or after {start:%-d %B %Y}, the planned "
            "start date",
        )
    if end > latest_end:
        return Decision(
            False,
            f"The planned end date must be the same as or before {latest_end:%-d %B %Y}, the last "
            "day this package can be delivered",
        )
    return Decision(True)


def session_date_decision(*, held_on: date, today: date, accepted_on: date) -> Decision:
    if held_on > today:
        return Decision(False, "The date of the session must be today or in the past")
    if held_on < accepted_on:
        return Decision(
            False,
            f"The date of the session must be on or after {accepted_on:%-d %B %Y}, when you "
            "accepted the request",
        )
    return Decision(True)


def average_rating(scores: list[int]) -> Decimal | None:
    """The mean score to one decimal place (a half rounded up, as people and the database
    do: 4.25 is 4.3), or None with no ratings."""
    if not scores:
        return None
    return (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rating_in_words(average: Decimal | None, count: int) -> str:
    """A provider's rating as the directory and its profile put it."""
    if not count:
        return "Not yet rated"
    organisations = "organisation" if count == 1 else "organisations"
    return f"Rated {average} out of 5 by {count} {organisations} it delivered to"
