"""Pure decisions about an award's instalments and the reports that pay them: no database.

One way to hold an agreement, whoever it is with: an award on a strand
(award_models.StrandAward) is paid in instalments on a schedule; each
instalment has a monitoring report covering its period, and accepting the
report pays that instalment as spend (award_services.pay_instalment). Section
B's representation grants (grants.MonitoringReport) and section C's volunteer
centre agreement (volunteering.CentreReport) both hold their reports this way;
each app adds only what its reports say.

A report's period runs from its instalment's date to the day before the next
instalment's (the last to the end of the award). A draft may be written from
the first day of its period; it is sent from the last day (it covers the whole
period), up to and after its due date. A report not sent (or sent back for
more) by its due date is overdue.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from diagnostics.rules import long_date
from notifications.rules import DeadlineRule, add_months
from organisations.rules import ALLOWED, Decision

# --------------------------------------------------------------- payment schedules

# How many months apart the instalments fall; None: one payment at the start.
SCHEDULE_MONTHS = {"single": None, "annual": 12, "half_yearly": 6, "quarterly": 3, "monthly": 1}


@dataclass(frozen=True)
class Instalment:
    due_on: date
    amount: Decimal


def instalments(amount: Decimal, *, start: date, end: date, schedule: str) -> list[Instalment]:
    """An award of `amount` over its period, paid on `schedule`.

    The first falls on the period's first day, the others every so many months
    while the period lasts. The pounds are split evenly, and any pennies left
    over go one each to the first instalments, so the instalments add up to
    exactly the award.
    """
    months = SCHEDULE_MONTHS[schedule]
    dates = [start]
    if months:
        while (following := add_months(start, months * len(dates))) < end:
            dates.append(following)
    pennies = int((Decimal(amount) * 100).to_integral_value())
    each, over = divmod(pennies, len(dates))
    return [
        Instalment(due_on=day, amount=Decimal(each + (1 if n < over else 0)) / 100)
        for n, day in enumerate(dates)
    ]


@dataclass(frozen=True)
class ReportPeriod:
    number: int  # 1 for the award's first period
    starts_on: date
    ends_on: date
    amount: Decimal  # the instalment its accepted report pays


def report_periods(instalments: list[Instalment], *, ends_on: date) -> list[ReportPeriod]:
    """One period per instalment: from its date to the day before the next's; the last to
    `ends_on`, the end of the award's period. The amounts are the instalments'."""
    periods = []
    for n, instalment in enumerate(instalments):
        following = instalments[n + 1].due_on if n + 1 < len(instalments) else None
        last_day = following - timedelta(days=1) if following else ends_on
        periods.append(
            ReportPeriod(
                number=n + 1,
                starts_on=instalment.due_on,
                ends_on=last_day,
                amount=instalment.amount,
            )
        )
    return periods


# --------------------------------------------------------------- a report's moves

DUE, SENT, MORE_NEEDED, ACCEPTED = "due", "sent", "more_needed", "accepted"
WITHDRAWN = "withdrawn"

# Where a report may go from each status. Accepted is final: its instalment is paid.
# Withdrawn is final too: the award ended early, and its instalment is never paid (a sent
# report is reviewed first, so that work done is paid for or sent back).
REPORT_TRANSITIONS: dict[str, set[str]] = {
    DUE: {SENT, WITHDRAWN},
    MORE_NEEDED: {SENT, WITHDRAWN},
    SENT: {ACCEPTED, MORE_NEEDED},
}
# The statuses the award holder may still write in (and that count as overdue).
OPEN_STATUSES = (DUE, MORE_NEEDED)

_STATUS_WORDS = {
    DUE: "has not been sent",
    SENT: "has been sent and is waiting for the council",
    MORE_NEEDED: "needs more information",
    ACCEPTED: "has been accepted and its instalment paid",
    WITHDRAWN: "is no longer due: its award ended early",
}


def report_move(status: str, to: str) -> Decision:
    """Whether a report in `status` may move to `to`, and why not."""
    if to in REPORT_TRANSITIONS.get(status, set()):
        return ALLOWED
    return Decision(False, f"This report {_STATUS_WORDS.get(status, status)}.")


def may_write(*, starts_on: date, today: date) -> Decision:
    """A draft may be written from the first day of the report's period."""
    if today < starts_on:
        return Decision(
            False, f"This report's period starts on {long_date(starts_on)}: write it from then."
        )
    return ALLOWED


def may_send(*, ends_on: date, today: date) -> Decision:
    """A report is sent from the last day of its period, never before: it covers the period."""
    if today < ends_on:
        return Decision(
            False,
            f"You can send this report from {long_date(ends_on)}, the last day of its period. "
            "You can save it as a draft until then.",
        )
    return ALLOWED


def is_overdue(*, status: str, due_on: date, today: date) -> bool:
    """Not sent (or sent back for more) and past its due date."""
    return status in OPEN_STATUSES and due_on < today


def blank_answers(answers: dict, required: dict[str, str]) -> dict[str, str]:
    """The required answers (field: message when missing) that are not given, by field."""
    problems = {}
    for field, message in required.items():
        value = answers.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems[field] = message
    return problems


def payment_note(*, period: int, periods: int, reference: str) -> str:
    """The ledger's note for an instalment: "Instalment 2 of 4 for VCS-GRA-000123"."""
    return f"Instalment {period} of {periods} for {reference}"


# What a list of reports shows for each: the words and the tag's colour.
@dataclass(frozen=True)
class ReportState:
    words: str
    tag: str  # a govuk-tag modifier class, or "" for the default blue
    overdue: bool = False


def report_state(
    *, status: str, starts_on: date, ends_on: date, due_on: date, today: date
) -> ReportState:
    """The report's state in words, as of `today`: what the award holder needs to know."""
    if status == ACCEPTED:
        return ReportState("Accepted, instalment paid", "govuk-tag--green")
    if status == WITHDRAWN:
        return ReportState("No longer due", "govuk-tag--grey")
    if status == SENT:
        return ReportState("Sent, waiting for the council", "govuk-tag--blue")
    if is_overdue(status=status, due_on=due_on, today=today):
        words = "Overdue: more information asked for" if status == MORE_NEEDED else "Overdue"
        return ReportState(words, "govuk-tag--red", overdue=True)
    if status == MORE_NEEDED:
        return ReportState("More information asked for", "govuk-tag--orange")
    if today < starts_on:
        return ReportState("Period not started", "govuk-tag--grey")
    if today < ends_on:
        return ReportState("Period in progress", "govuk-tag--light-blue")
    return ReportState("Ready to send", "govuk-tag--yellow")


# The reminders a daily job sends: before the due date, and once after it is missed.
REMINDER, MISSED = "reminder", "missed"


def reminder_kind(*, status: str, due_on: date, today: date, rule: DeadlineRule) -> str:
    """Which reminder a report needs today under `rule`: REMINDER (from the rule's reminder
    date up to the due date), MISSED (after it), or "" for none.

    Only a report the award holder still has to send is reminded.
    """
    if status not in OPEN_STATUSES:
        return ""
    if rule.is_missed(due_on, today):
        return MISSED
    if rule.reminder_due(due_on, today):
        return REMINDER
    return ""
