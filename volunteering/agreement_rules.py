"""Pure decisions about the volunteer centre's funding agreement: no database.

Its instalments, periods, report moves and reminders are every award's
(allowances.instalment_rules); what is the centre's own: what a new agreement
must be, what its reports say, and its reference.
"""

from datetime import date
from decimal import Decimal

from allowances.instalment_rules import blank_answers
from notifications.rules import add_months

# An agreement runs for at least a month and at most five years.
LONGEST_YEARS = 5
MOST = Decimal("450000.00")  # the whole scheme's budget: no agreement could be larger


def agreement_problems(*, amount, starts_on: date, ends_on: date) -> dict[str, str]:
    """What is wrong with a new agreement's amount and period, by field; none means none."""
    problems = {}
    if amount is not None and not Decimal("0") < amount <= MOST:
        problems["amount"] = "The amount must be more than £0 and no more than £450,000"
    if starts_on and ends_on:
        if ends_on <= starts_on:
            problems["ends_on"] = "The end date must be after the start date"
        elif ends_on < add_months(starts_on, 1) - date.resolution:
            problems["ends_on"] = "The agreement must last at least a month"
        elif ends_on >= add_months(starts_on, 12 * LONGEST_YEARS):
            problems["ends_on"] = f"The agreement must last no more than {LONGEST_YEARS} years"
    return problems


def reference(*, provider_id: int, starts_on: date) -> str:
    """One agreement per provider per start date: "VCS-VCA-0007-20270401"."""
    return f"VCS-VCA-{provider_id:04d}-{starts_on:%Y%m%d}"


# What the centre reports, by field, and the message when one is missing on sending.
REQUIRED_ON_SENDING = {
    "work_done": "Describe what the volunteer centre did in this period",
    "outcomes": "Describe what difference it made",
    "next_period": "Describe what you plan for the next period",
}
ANSWER_FIELDS = ("work_done", "outcomes", "difficulties", "next_period")


def sending_problems(answers: dict) -> dict[str, str]:
    """What a report still needs before it can be sent, by field; none means it may be."""
    return blank_answers(answers, REQUIRED_ON_SENDING)
