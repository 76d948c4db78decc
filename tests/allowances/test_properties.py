"""Property-based tests: the cap rules and the service against a simple reference.

Dates range over 2023–2029 (two leap days) and lean on the edges that matter:
31 March / 1 April, 28 February / 29 February / 1 March.
"""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from allowances.models import AgreedPackage, CapPolicyVersion
from allowances.rules import FINANCIAL_YEAR, ROLLING, CapPolicy, cap_decision, next_available_date
from allowances.services import (
    CapRefused,
    agree_package,
    allowance_summary,
    cancel_agreed_package,
    start_delivery,
)

from ..factories import (
    BudgetYearFactory,
    EligibilityDecisionFactory,
    OrganisationFactory,
    PackageFactory,
    StaffFactory,
    accept_for_test,
)
from .reference import accepts, within_caps

FIRST, LAST = date(2023, 1, 1), date(2029, 12, 31)
EDGES = [
    d
    for year in range(2023, 2030)
    for d in (date(year, 3, 31), date(year, 4, 1), date(year, 2, 28), date(year, 3, 1))
] + [date(2024, 2, 29), date(2028, 2, 29)]

days = st.one_of(
    st.dates(min_value=FIRST, max_value=LAST),
    st.sampled_from(EDGES),
    st.sampled_from(EDGES).flatmap(
        lambda d: st.integers(-400, 400).map(lambda n: d + timedelta(days=n))
    ),
).filter(lambda d: FIRST <= d <= LAST)


@st.composite
def policies(draw):
    per_year = draw(st.integers(1, 3))
    return CapPolicy(
        per_year=per_year,
        per_period=draw(st.integers(per_year, per_year * 3)),
        period_years=draw(st.integers(1, 3)),
        basis=draw(st.sampled_from([FINANCIAL_YEAR, ROLLING])),
    )


@st.composite
def history(draw, policy):
    """Dates of packages that count, built one acceptance at a time (so within the caps)."""
    accepted = []
    for day in draw(st.lists(days, max_size=12)):
        if accepts(accepted, day, policy):
            accepted.append(day)
    return accepted


# Offsets that put a day on the edge of a rolling window opened by another day.
# Offsets that put a day on the first or last day of a rolling window (365 days,
# or 2 or 3 × 365) opened by another day, or just outside it.
EDGE_OFFSETS = [
    sign * (365 * years + extra) for years in (1, 2, 3) for extra in (-1, 0) for sign in (1, -1)
]


def days_around(counting: list[date]):
    """Any day, or one on the edge of a window that starts or ends at a counting day."""
    if not counting:
        return days
    edge = st.tuples(st.sampled_from(counting), st.sampled_from(EDGE_OFFSETS)).map(
        lambda pair: pair[0] + timedelta(days=pair[1])
    )
    return st.one_of(days, edge, edge)


@settings(max_examples=600, deadline=None)
@given(data=st.data())
def test_the_rule_accepts_exactly_when_every_window_stays_within_its_cap(data):
    policy = data.draw(policies())
    counting = data.draw(history(policy))
    day = data.draw(days_around(counting))
    decision = cap_decision(organisation_name="Org", dates=counting, day=day, policies=[policy])
    assert decision.allowed == accepts(counting, day, policy), decision.reason
    if decision.allowed:
        assert within_caps([*counting, day], policy)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_next_available_date_is_the_first_day_a_package_would_fit(data):
    """With every package in the past, a later day can only fit more: one day before fails."""
    policy = data.draw(policies())
    today = data.draw(st.dates(min_value=date(2025, 1, 1), max_value=LAST))
    counting = [d for d in data.draw(history(policy)) if d <= today]
    found = next_available_date(counting, today, [policy])
    assert found is not None and found >= today
    assert accepts(counting, found, policy)
    if found > today:
        assert not accepts(counting, found - timedelta(days=1), policy)


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_the_next_available_date_with_packages_dated_ahead_scans_every_day(data):
    """Packages agreed with a later date: no day between today and the answer fits."""
    policy = data.draw(policies().filter(lambda p: p.period_years <= 2))
    counting = data.draw(history(policy))
    today = data.draw(days)
    found = next_available_date(counting, today, [policy])
    assert found is not None and accepts(counting, found, policy)
    day = today
    while day < found:
        assert not accepts(counting, day, policy), day
        day += timedelta(days=1)


# --- The service itself, on the database, against the same reference


def operations(centre: date):
    """Mostly agreements, within about three years of `centre` so that the caps bite."""
    near = st.integers(-550, 550).map(lambda n: centre + timedelta(days=n))
    return st.lists(
        st.one_of(
            st.tuples(st.just("agree"), near),
            # On the edge of a window opened by an earlier agreement.
            st.tuples(
                st.just("agree_relative"),
                st.tuples(st.integers(0, 20), st.sampled_from(EDGE_OFFSETS)),
            ),
            st.tuples(st.just("agree"), near),
            st.tuples(st.just("agree"), st.sampled_from(EDGES)),
            st.tuples(st.just("cancel"), st.integers(0, 20)),
            st.tuples(st.just("start_then_cancel"), st.integers(0, 20)),
        ),
        min_size=3,
        max_size=14,
    )


@pytest.fixture
def scheme(db):
    """Budgets for every year the dates reach, one officer and one cheap package."""
    officer = StaffFactory()
    for year in range(2017, 2034):
        BudgetYearFactory(start_year=year, strands={"vcs_support": 10_000_000})
    return officer, PackageFactory(value=1)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(policy=policies(), ops=st.sampled_from(EDGES).flatmap(operations))
def test_the_service_accepts_iff_every_window_stays_within_its_cap(scheme, policy, ops):
    officer, package = scheme
    with transaction.atomic():
        CapPolicyVersion.objects.create(
            effective_from=date(2000, 1, 1),
            per_year=policy.per_year,
            per_period=policy.per_period,
            period_years=policy.period_years,
            basis=policy.basis,
            created_by=officer,
        )
        organisation = OrganisationFactory()
        EligibilityDecisionFactory(
            organisation=organisation, valid_from=date(2015, 1, 1), valid_until=date(2036, 1, 1)
        )
        counting: list[date] = []  # the reference's view
        live: list[AgreedPackage] = []  # agreed and not yet cancelled
        for op, arg in ops:
            if op == "agree_relative":
                index, offset = arg
                base = counting[index % len(counting)] if counting else date(2026, 4, 1)
                # Kept inside the years that have a budget.
                day = min(max(base + timedelta(days=offset), date(2017, 4, 1)), date(2034, 3, 31))
                op, arg = "agree", day
            if op == "agree":
                expected = accepts(counting, arg, policy)
                try:
                    agreed = agree_package(
                        organisation=organisation, package=package, agreed_by=officer, on=arg
                    )
                except CapRefused:
                    assert not expected, f"refused {arg} with {counting}"
                    event("a cap refused an agreement")
                else:
                    assert expected, f"accepted {arg} with {counting}"
                    event("an agreement was accepted")
                    counting.append(arg)
                    live.append(agreed)
            elif live:
                agreed = live.pop(arg % len(live))
                if op == "start_then_cancel":
                    accept_for_test(agreed, by=officer)
                    start_delivery(agreed, by=officer, on=agreed.agreed_on)
                else:
                    counting.remove(agreed.agreed_on)  # the slot is given back
                    event("a cancellation gave a slot back")
                cancel_agreed_package(agreed, by=officer, reason="Testing")
        stored = sorted(
            AgreedPackage.objects.counting()
            .filter(organisation=organisation)
            .values_list("agreed_on", flat=True)
        )
        assert stored == sorted(counting)
        assert within_caps(stored, policy)
        summary = allowance_summary(organisation, on=date(2030, 1, 1))
        assert accepts(stored, summary.next_available, policy)
        transaction.set_rollback(True)
