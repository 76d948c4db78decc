"""Pure decisions about caps and budgets: no writes, no database needed.

Every function takes already-loaded values (dates, amounts, policies) so the
rules are tested table-driven and by property, without a database, and the
reason is shown to the person word for word.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from diagnostics.rules import long_date
from organisations.rules import ALLOWED, Decision
from packages.money import format_money

FINANCIAL_YEAR = "financial_year"
ROLLING = "rolling"
DAYS_IN_YEAR = 365


@dataclass(frozen=True)
class CapPolicy:
    """How many packages an organisation may have, and what 'a year' means."""

    per_year: int = 2
    per_period: int = 4
    period_years: int = 3
    basis: str = FINANCIAL_YEAR
    effective_from: date = date.min

    @property
    def period_days(self) -> int:
        return DAYS_IN_YEAR * self.period_years


DEFAULT_POLICY = CapPolicy()


def policy_on(policies: Sequence[CapPolicy], day: date) -> CapPolicy:
    """The policy in force on `day`: the latest to take effect on or before it."""
    in_force = [p for p in policies if p.effective_from <= day]
    return max(in_force, key=lambda p: p.effective_from) if in_force else DEFAULT_POLICY


# --- Financial years (1 April to 31 March)


def financial_year_of(day: date) -> int:
    """The calendar year in which `day`'s financial year starts."""
    return day.year if day.month >= 4 else day.year - 1


def fy_start(year: int) -> date:
    return date(year, 4, 1)


def fy_end(year: int) -> date:
    return date(year + 1, 3, 31)


def fy_label(year: int) -> str:
    """2025/26"""
    return f"{year}/{(year + 1) % 100:02d}"


# --- Windows


@dataclass(frozen=True)
class Window:
    """A span of days in which at most `cap` packages may count."""

    kind: str  # "year" or "period"
    start: date
    end: date
    count: int  # packages already counting in it
    cap: int
    policy: CapPolicy

    def describe(self) -> str:
        """'the 2025/26 financial year (1 April 2025 to 31 March 2026)' and the like."""
        p = self.policy
        if p.basis == FINANCIAL_YEAR:
            first, last = financial_year_of(self.start), financial_year_of(self.end)
            if first == last:
                return (
                    f"the {fy_label(first)} financial year "
                    f"({long_date(self.start)} to {long_date(self.end)})"
                )
            return f"the {last - first + 1} financial years {fy_label(first)} to {fy_label(last)}"
        days = (self.end - self.start).days + 1
        return f"the {days:,} days from {long_date(self.start)} to {long_date(self.end)}"

    def limit_phrase(self) -> str:
        p = self.policy
        if self.kind == "year":
            unit = "financial year" if p.basis == FINANCIAL_YEAR else f"{DAYS_IN_YEAR} days"
            return f"the most allowed in any {unit}"
        if p.basis == FINANCIAL_YEAR:
            return f"the most allowed in any {p.period_years} consecutive financial years"
        return f"the most allowed in any {p.period_days:,} days"


def _count_between(dates: Sequence[date], start: date, end: date) -> int:
    """Packages in sorted `dates` agreed from `start` to `end`, both included."""
    return bisect_right(dates, end) - bisect_left(dates, start)


def _busiest_rolling_window(dates, day: date, length: int) -> tuple[date, date, int]:
    """The fullest `length`-day window that contains `day` (dates sorted).

    A window's count only rises when its end reaches a package, so the fullest
    starts either as early as possible or `length - 1` days before a package.
    The window ending on `day` comes first so that, on a tie, the message
    speaks of the days up to `day`.
    """
    earliest = day - timedelta(days=length - 1)
    starts = [earliest] + [
        x - timedelta(days=length - 1)
        for x in dates
        if day <= x <= day + timedelta(days=length - 1)
    ]
    best = None
    for start in starts:
        end = start + timedelta(days=length - 1)
        count = _count_between(dates, start, end)
        if best is None or count > best[2]:
            best = (start, end, count)
    return best


def windows_for(dates: Sequence[date], day: date, policy: CapPolicy) -> list[Window]:
    """The windows containing `day` that a package agreed on `day` must fit in.

    For the rolling basis only the fullest window of each length matters; for
    the financial-year basis, the year and every run of `period_years` years
    containing it.
    """
    dates = sorted(dates)
    if policy.basis == FINANCIAL_YEAR:
        fy = financial_year_of(day)
        found = [
            Window("year", fy_start(fy), fy_end(fy), 0, policy.per_year, policy),
        ]
        for first in range(fy - policy.period_years + 1, fy + 1):
            last = first + policy.period_years - 1
            found.append(
                Window("period", fy_start(first), fy_end(last), 0, policy.per_period, policy)
            )
        return [
            Window(w.kind, w.start, w.end, _count_between(dates, w.start, w.end), w.cap, policy)
            for w in found
        ]
    found = []
    for kind, length, cap in (
        ("year", DAYS_IN_YEAR, policy.per_year),
        ("period", policy.period_days, policy.per_period),
    ):
        start, end, count = _busiest_rolling_window(dates, day, length)
        found.append(Window(kind, start, end, count, cap, policy))
    return found


def first_breach(dates: Sequence[date], day: date, policy: CapPolicy) -> Window | None:
    """The first window that one more package on `day` would take over its cap, or None."""
    for window in windows_for(dates, day, policy):
        if window.count + 1 > window.cap:
            return window
    return None


def next_available_date(
    dates: Sequence[date], today: date, policies: Sequence[CapPolicy] = ()
) -> date | None:
    """The earliest day from `today` on which one more package would fit every cap.

    Whether a package fits can only change from 'no' to 'yes' on a day a package
    leaves a rolling window (its date plus the window's length), on the first
    day of a financial year, or when a new policy takes effect; so only those
    days are tried. None if no such day exists (a cap of 0).
    """
    dates = sorted(dates)
    all_policies = [*policies, DEFAULT_POLICY]
    longest = max(p.period_years for p in all_policies)
    fy = financial_year_of(today)
    # Packages may be dated ahead of `today`: look past the last of them.
    last = max([fy, *(financial_year_of(x) for x in dates)])
    candidates = {today}
    candidates.update(fy_start(y) for y in range(fy + 1, last + longest + 2))
    candidates.update(p.effective_from for p in policies if p.effective_from > today)
    for p in all_policies:
        for length in (DAYS_IN_YEAR, p.period_days):
            candidates.update(x + timedelta(days=length) for x in dates)
    for day in sorted(c for c in candidates if c >= today):
        if first_breach(dates, day, policy_on(policies, day)) is None:
            return day
    return None


def cap_decision(
    *,
    organisation_name: str,
    dates: Sequence[date],
    day: date,
    policies: Sequence[CapPolicy] = (),
) -> Decision:
    """Whether one more package agreed on `day` keeps every window within its cap.

    `dates` are the agreement dates of the organisation's packages that count.
    """
    breach = first_breach(dates, day, policy_on(policies, day))
    if breach is None:
        return ALLOWED
    after = next_available_date(dates, day + timedelta(days=1), policies)
    when = (
        f"The earliest date another package can be agreed is {long_date(after)}."
        if after
        else "No further package can be agreed under the current rules."
    )
    packages = "package" if breach.count == 1 else "packages"
    return Decision(
        False,
        f"{organisation_name} already has {breach.count} {packages} in {breach.describe()}, "
        f"{breach.limit_phrase()}. {when}",
    )


# --- Allowance summary (the plain words on the organisation's pages)


@dataclass(frozen=True)
class AllowanceSummary:
    on: date
    policy: CapPolicy
    used_this_year: int
    year: Window
    used_in_period: int
    period: Window
    next_available: date | None
    # Whether the organisation is eligible on `on`, where the summary is shown
    # to people who would read "available now" as "we can have one today".
    # None where eligibility is checked on its own (the agree-check page).
    eligibility: Decision | None = None

    @property
    def caps_allow_now(self) -> bool:
        return self.next_available == self.on

    @property
    def can_agree_now(self) -> bool:
        """Nothing but an officer's agreement stands between the organisation and a package."""
        return self.caps_allow_now and (self.eligibility is None or bool(self.eligibility))

    @property
    def year_sentence(self) -> str:
        return f"{self.used_this_year} of {self.policy.per_year} used in {self.year.describe()}."

    @property
    def period_sentence(self) -> str:
        return (
            f"{self.used_in_period} of {self.policy.per_period} used in {self.period.describe()}."
        )

    @property
    def next_sentence(self) -> str:
        if self.eligibility is not None and not self.eligibility:
            return self.eligibility.reason
        if self.can_agree_now:
            return "Another package can be agreed now."
        if self.next_available is None:
            return "No further package can be agreed under the current rules."
        return (
            f"The earliest date another package can be agreed is {long_date(self.next_available)}."
        )


def summarise(
    dates: Sequence[date], on: date, policies: Sequence[CapPolicy] = ()
) -> AllowanceSummary:
    """Used this year and this period (both ending on `on`) and the next available date."""
    dates = sorted(dates)
    policy = policy_on(policies, on)
    if policy.basis == FINANCIAL_YEAR:
        fy = financial_year_of(on)
        year = (fy_start(fy), fy_end(fy))
        period = (fy_start(fy - policy.period_years + 1), fy_end(fy))
    else:
        year = (on - timedelta(days=DAYS_IN_YEAR - 1), on)
        period = (on - timedelta(days=policy.period_days - 1), on)
    used_year = _count_between(dates, *year)
    used_period = _count_between(dates, *period)
    return AllowanceSummary(
        on=on,
        policy=policy,
        used_this_year=used_year,
        year=Window("year", *year, used_year, policy.per_year, policy),
        used_in_period=used_period,
        period=Window("period", *period, used_period, policy.per_period, policy),
        next_available=next_available_date(dates, on, policies),
    )


# --- Budget


def budget_decision(
    *, available: Decimal, value: Decimal, package_name: str, strand_name: str, year: int
) -> Decision:
    """Whether a strand with `available` left can take a package worth `value`."""
    if value <= available:
        return ALLOWED
    return Decision(
        False,
        f"The {strand_name} budget for {fy_label(year)} has {format_money(available)} left, "
        f"but {package_name} costs {format_money(value)}: "
        f"{format_money(value - available)} short.",
    )


def no_budget_reason(*, strand_name: str, year: int) -> str:
    return (
        f"There is no {strand_name} budget for {fy_label(year)} yet. "
        "A manager must set the year's budget before packages can be agreed."
    )


def budget_split_problems(
    *,
    total: Decimal,
    strands: dict[str, Decimal],
    labels: dict[str, str],
    ceiling: Decimal,
    floor: Decimal,
    used: dict[str, Decimal] | None = None,
) -> dict[str, str]:
    """Which budget rule each figure breaks, and by how much: {field: message}.

    The key "total" carries problems with the total; a strand's kind carries
    its own. `used` is what each strand already has committed or spent.
    """
    problems: dict[str, str] = {}
    if total > ceiling:
        problems["total"] = (
            f"The total must be {format_money(ceiling)} or less – "
            f"{format_money(total)} is {format_money(total - ceiling)} over"
        )
    for kind, amount in strands.items():
        name = labels[kind]
        already = (used or {}).get(kind, Decimal(0))
        if amount < floor:
            problems[kind] = (
                f"{name} must be at least {format_money(floor)} – "
                f"{format_money(amount)} is {format_money(floor - amount)} short"
            )
        elif amount < already:
            problems[kind] = (
                f"{name} cannot be less than the {format_money(already)} already committed "
                f"or spent – {format_money(amount)} is {format_money(already - amount)} short"
            )
    combined = sum(strands.values(), Decimal(0))
    if combined > total and "total" not in problems:
        problems["total"] = (
            f"The strands add up to {format_money(combined)}, which is "
            f"{format_money(combined - total)} more than the total of {format_money(total)}"
        )
    return problems


def override_decision(*, is_manager: bool, reason: str) -> Decision:
    """Whether a refused agreement may go ahead past a cap or the budget."""
    if not is_manager:
        return Decision(False, "Only a manager can agree a package past a cap or the budget.")
    if not reason.strip():
        return Decision(False, "Enter the reason for agreeing past the cap or the budget")
    return ALLOWED


# Shares of a strand's amount (committed + spent) at which managers are told.
ALERT_THRESHOLDS = (75, 90, 100)


def highest_threshold_reached(*, amount: Decimal, used: Decimal) -> int | None:
    """The highest of ALERT_THRESHOLDS that `used` has reached, or None below them all.

    A strand with nothing in it is past every threshold once anything is used.
    """
    reached = [t for t in ALERT_THRESHOLDS if used > 0 and used * 100 >= amount * t]
    return reached[-1] if reached else None


def percent_used(*, amount: Decimal, used: Decimal) -> Decimal:
    """committed + spent as a percentage of the amount, to one decimal place."""
    if amount <= 0:
        return Decimal("0.0") if used <= 0 else Decimal("100.0")
    return (used * 100 / amount).quantize(Decimal("0.1"))
