"""Pure decisions: when to retry a failed email and when to stop; deadlines and reminders."""

from calendar import monthrange
from collections.abc import Container
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .calendar import BANK_HOLIDAYS, DaysOff, add_working_days, subtract_working_days

# Waits between attempts: 1, 2, 4 ... 32 minutes, then every hour. A message is
# marked failed only after it has been retried for at least GIVE_UP_AFTER, so a
# mail server that is down for an hour loses nothing.
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=2)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt (1 → 1 minute)."""
    if attempts < 1:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** (attempts - 1), LONGEST_DELAY)


def should_give_up(*, first_attempt_at: datetime, now: datetime) -> bool:
    """True once a message has been failing for GIVE_UP_AFTER."""
    return now - first_attempt_at >= GIVE_UP_AFTER


# --- Deadlines: how long each step may take, and when to remind. Pure: the
# rows managers edit (notifications.models.Deadline) become these values, so
# the date arithmetic is tested without a database.

DAYS = "days"
WORKING_DAYS = "working_days"
WEEKS = "weeks"
MONTHS = "months"
# Each unit's name, singular and plural.
UNITS = {
    DAYS: ("day", "days"),
    WORKING_DAYS: ("working day", "working days"),
    WEEKS: ("week", "weeks"),
    MONTHS: ("month", "months"),
}


def add_months(day: date, n: int) -> date:
    """The same day `n` months later (or earlier, n < 0), or that month's last day.

    31 January + 1 month is 28 February (29 in a leap year), as people count.
    """
    year, month = divmod(day.month - 1 + n, 12)
    year += day.year
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """A length of time as people say it: 8 weeks, 10 working days, 6 months."""

    amount: int
    unit: str

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"Unknown unit {self.unit!r}")
        if self.amount < 0:
            raise ValueError("A period cannot be negative")

    def __str__(self) -> str:
        one, many = UNITS[self.unit]
        return f"{self.amount} {one if self.amount == 1 else many}"

    def after(self, start: date, holidays: Container[date] = BANK_HOLIDAYS) -> date:
        """The date this long after `start` (working days skip weekends and `holidays`)."""
        if self.unit == WORKING_DAYS:
            return add_working_days(start, self.amount, holidays)
        if self.unit == MONTHS:
            return add_months(start, self.amount)
        return start + timedelta(days=self.amount * (7 if self.unit == WEEKS else 1))

    def before(self, end: date, holidays: Container[date] = BANK_HOLIDAYS) -> date:
        """The date this long before `end`."""
        if self.unit == WORKING_DAYS:
            return subtract_working_days(end, self.amount, holidays)
        if self.unit == MONTHS:
            return add_months(end, -self.amount)
        return end - timedelta(days=self.amount * (7 if self.unit == WEEKS else 1))

    def longest_in_days(self, holidays: DaysOff = BANK_HOLIDAYS) -> int:
        """At least as many calendar days as this period can ever span.

        For narrowing a query before the exact dates are worked out in Python:
        a month is at most 31 days; n working days never take more than twice
        n days plus a week (the longest run of weekend and bank holidays is 4
        days, at Christmas and Easter). Each of the managers' one-off days can
        cost at most one more working day, so n working days with k of them
        never span more than n + k working days without them.
        """
        per = {DAYS: 1, WEEKS: 7, MONTHS: 31}
        if self.unit == WORKING_DAYS:
            return 2 * (self.amount + len(holidays.extra)) + 7
        return self.amount * per[self.unit]


@dataclass(frozen=True)
class DeadlineRule:
    """One deadline as the jobs use it.

    `period`: how long the step may take, counted from its start (None when the
    date comes from elsewhere: the end of eligibility, an insurance
    certificate's expiry, a session's date). `remind_before`: how long before
    the deadline the reminder is due (None: no reminder before).

    The deadline date is the last day on which the step may be done; it is
    missed from the day after.

    `holidays`: the days off working days skip, bank holidays alone unless the
    rule was read with the managers' one-off days too (notifications.deadlines
    does that whenever the rule counts working days).
    """

    code: str
    name: str
    period: Period | None
    remind_before: Period | None
    holidays: DaysOff = BANK_HOLIDAYS

    @property
    def counts_working_days(self) -> bool:
        """True if either period is in working days, so its dates depend on the days off."""
        periods = (self.period, self.remind_before)
        return any(p is not None and p.unit == WORKING_DAYS for p in periods)

    def due_on(self, start: date) -> date:
        """The deadline for a step that started on `start`."""
        if self.period is None:
            raise ValueError(f"The {self.code} deadline is not counted from a start date")
        return self.period.after(start, self.holidays)

    def counted_back_from(self, day: date) -> date:
        """The period counted back from `day`: a cutoff for "started longer ago than that"."""
        if self.period is None:
            raise ValueError(f"The {self.code} deadline is not counted from a start date")
        return self.period.before(day, self.holidays)

    def remind_on(self, due: date) -> date | None:
        """When the reminder for a deadline on `due` is due, or None if there is none."""
        if self.remind_before is None:
            return None
        return self.remind_before.before(due, self.holidays)

    def longest_reminder_in_days(self) -> int:
        """At least as many calendar days as the reminder can ever come before its deadline."""
        if self.remind_before is None:
            return 0
        return self.remind_before.longest_in_days(self.holidays)

    def reminder_due(self, due: date, today: date) -> bool:
        """True from the reminder date up to the deadline itself.

        A range, not one day, so a day the job did not run is caught up the
        next day; the idempotency key makes sure it still goes out once.
        """
        remind_on = self.remind_on(due)
        return remind_on is not None and remind_on <= today <= due

    @staticmethod
    def is_missed(due: date, today: date) -> bool:
        return today > due


def latest_start_missed(rule: DeadlineRule, today: date) -> date:
    """The latest start date whose deadline has been missed by `today`.

    Deadlines grow with their start date, so everything that started on or
    before this date is overdue: a query can then ask for `start <= this date`
    instead of working out each row's deadline.
    """
    day = today
    while not rule.is_missed(rule.due_on(day), today):
        day -= timedelta(days=1)
    return day


# --- One-off days off that managers add (notifications.working_days).


def day_off_refusal(
    day: date, *, today: date, bank_holiday: str | None = None, added: str | None = None
) -> str:
    """Why `day` cannot be added as a one-off day off, or "" if it can.

    `bank_holiday` and `added` are the names of what is already on that date,
    if anything. Days already past are refused: deadlines counted then stand.
    """
    if day < today:
        return "The date must be today or in the future"
    if day.weekday() >= 5:
        return f"The date must be a weekday: {day:%-d %B %Y} is a {day:%A}"
    if bank_holiday:
        return f"{day:%-d %B %Y} is already a bank holiday: {bank_holiday}"
    if added:
        return f"{day:%-d %B %Y} has already been added: {added}"
    return ""
