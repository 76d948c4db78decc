"""Pure arithmetic for the dashboards: percentages, the forecast, the even-spend line.

No database: each function takes already-aggregated figures, so the rules are
tested table-driven and the sentence shown to the manager is the one tested.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from packages.money import PENNY, format_money

ZERO = Decimal("0.00")
MONTHS_IN_YEAR = 12


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole`, to one decimal place; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Forecast:
    """The year's forecast outturn, and the sentence that says how it was worked out."""

    amount: Decimal | None
    explanation: str
    run_rate_per_day: Decimal | None = None
    days_elapsed: int = 0
    days_remaining: int = 0


def forecast_outturn(
    *, used: Decimal, budget: Decimal, starts_on: date, ends_on: date, today: date
) -> Forecast:
    """Forecast what the year will end on, from the run rate so far.

    `used` is committed + spent (money already promised or paid). The rate is
    `used` divided by the days of the year gone, today included; the forecast
    is `used` plus that rate for every day left. Before the year starts there
    is no rate; once it has ended the outturn is simply what was used.
    """
    used = Decimal(used).quantize(PENNY)
    days_in_year = (ends_on - starts_on).days + 1
    if today < starts_on:
        return Forecast(
            None,
            f"No forecast yet: the year starts on {starts_on:%-d %B %Y}, "
            "so there is no run rate to go on.",
        )
    if today > ends_on:
        return Forecast(
            used,
            f"The year has ended: the outturn is what was committed or spent, {format_money(used)}"
            f" ({_percent_words(used, budget)}).",
            days_elapsed=days_in_year,
        )
    elapsed = (today - starts_on).days + 1
    remaining = days_in_year - elapsed
    rate = (used / elapsed).quantize(PENNY, ROUND_HALF_UP)
    amount = (used + used * remaining / elapsed).quantize(PENNY, ROUND_HALF_UP)
    return Forecast(
        amount,
        f"{format_money(used)} has been committed or spent in the {elapsed} day"
        f"{'s' if elapsed != 1 else ''} of the year so far, about {format_money(rate)} a day. "
        f"If that rate carries on for the {remaining} day{'s' if remaining != 1 else ''} left, "
        f"the year ends at {format_money(amount)} ({_percent_words(amount, budget)}).",
        run_rate_per_day=rate,
        days_elapsed=elapsed,
        days_remaining=remaining,
    )


def _percent_words(amount: Decimal, budget: Decimal) -> str:
    share = percent(amount, budget)
    if share is None:
        return "there is no budget to compare it with"
    return f"{share}% of the {format_money(budget)} budget"


def month_starts(starts_on: date) -> list[date]:
    """The first day of each of the twelve months from `starts_on`."""
    return [
        date(
            starts_on.year + (starts_on.month - 1 + n) // 12, (starts_on.month - 1 + n) % 12 + 1, 1
        )
        for n in range(MONTHS_IN_YEAR)
    ]


@dataclass(frozen=True)
class MonthFigures:
    month: date
    commitments: Decimal
    releases: Decimal
    spent: Decimal
    cumulative_used: Decimal  # committed + spent at the month's end
    cumulative_spent: Decimal
    even_spend: Decimal  # the budget spread evenly: budget × months gone / 12

    @property
    def net_committed(self) -> Decimal:
        return self.commitments - self.releases


def monthly_series(
    months: list[date], sums: dict[date, tuple[Decimal, Decimal, Decimal]], budget: Decimal
) -> list[MonthFigures]:
    """Month-by-month and running totals from {month: (commitments, releases, spent)}.

    Used = commitments − releases + spent: a release happens when a package
    ends early or when its claim turns the commitment into spend, so this is the
    money promised or paid out by the end of each month.
    """
    rows, used, spent = [], ZERO, ZERO
    for n, month in enumerate(months, start=1):
        commitments, releases, month_spent = sums.get(month, (ZERO, ZERO, ZERO))
        used += commitments - releases + month_spent
        spent += month_spent
        rows.append(
            MonthFigures(
                month=month,
                commitments=commitments,
                releases=releases,
                spent=month_spent,
                cumulative_used=used,
                cumulative_spent=spent,
                even_spend=(budget * n / MONTHS_IN_YEAR).quantize(PENNY, ROUND_HALF_UP),
            )
        )
    return rows


def clamp_month(month: date, months: list[date]) -> date:
    """Entries recorded before the year are shown in its first month, after it in its last."""
    return min(max(month, months[0]), months[-1])
