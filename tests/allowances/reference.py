"""A deliberately simple statement of the caps, to test the real rules against.

It checks windows one day at a time: slow, but obviously what the policy says.
"""

from datetime import date, timedelta

from allowances.rules import FINANCIAL_YEAR, CapPolicy


def fy(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def within_caps(dates: list[date], policy: CapPolicy, must_contain: date | None = None) -> bool:
    """Every window of the policy holds at most its cap of `dates`.

    With `must_contain`, only windows containing that day are checked: enough
    when the other dates are already known to be within the caps.
    """
    if not dates:
        return True
    if policy.basis == FINANCIAL_YEAR:
        years = [fy(d) for d in dates]
        for first in range(min(years) - policy.period_years, max(years) + 1):
            if must_contain and not first <= fy(must_contain) <= first + policy.period_years - 1:
                continue
            in_period = sum(1 for y in years if first <= y <= first + policy.period_years - 1)
            if in_period > policy.per_period:
                return False
        return all(
            years.count(y) <= policy.per_year
            for y in set(years)
            if not must_contain or y == fy(must_contain)
        )
    for length, cap in ((365, policy.per_year), (365 * policy.period_years, policy.per_period)):
        if must_contain:
            starts = [must_contain - timedelta(days=back) for back in range(length)]
        else:
            first = min(dates) - timedelta(days=length - 1)
            starts = [first + timedelta(days=n) for n in range((max(dates) - first).days + 1)]
        for start in starts:
            end = start + timedelta(days=length - 1)
            if sum(1 for d in dates if start <= d <= end) > cap:
                return False
    return True


def accepts(counting: list[date], day: date, policy: CapPolicy) -> bool:
    """Whether one more package on `day` keeps every window within its cap."""
    return within_caps([*counting, day], policy, must_contain=day)
