"""The ledger's summaries equal its rows, whatever happens and in whatever order.

Random histories of agreements, cancellations, expiries and payments (some
above the value, by a manager's override), at moments that straddle month
ends in London time (31 March 23:30 UTC is already April in summer time),
then the checker's S1, S2 and S5 over the result: the dashboard's strands, its
months and both summaries against the ledger rows.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from allowances.ledger import month_of, rebuild_summaries
from allowances.models import BudgetStrand, LedgerMonth, StrandTotal
from allowances.selectors import strand_available
from allowances.services import (
    IllegalTransition,
    agree_package,
    cancel_agreed_package,
    expire_agreed_package,
    record_spend,
    start_delivery,
)
from reports.invariants import check_ledger

from ..factories import (
    BudgetYearFactory,
    EligibilityDecisionFactory,
    ManagerFactory,
    OrganisationFactory,
    PackageFactory,
    StaffFactory,
    accept_for_test,
    claim_for_test,
)

SUMMARY_RULES = {"S1", "S2", "S5"}
# Moments on either side of month ends, in and out of summer time (UTC).
EDGES = [
    datetime(2026, 3, 31, 23, 30, tzinfo=UTC),  # 1 April 00:30 in London
    datetime(2026, 4, 30, 22, 59, tzinfo=UTC),  # 30 April 23:59 in London
    datetime(2026, 4, 30, 23, 0, tzinfo=UTC),  # 1 May 00:00 in London
    datetime(2026, 10, 31, 23, 59, tzinfo=UTC),  # 31 October 23:59 (GMT again)
    datetime(2027, 1, 31, 23, 59, tzinfo=UTC),
    datetime(2027, 3, 31, 22, 30, tzinfo=UTC),  # 31 March 23:30: last year's last month
]
moments = st.one_of(
    st.sampled_from(EDGES),
    st.integers(0, 364 * 24).map(lambda h: datetime(2026, 4, 1, tzinfo=UTC) + timedelta(hours=h)),
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("agree"), st.integers(0, 2), moments),
        st.tuples(st.just("cancel"), st.integers(0, 30), moments),
        st.tuples(st.just("expire"), st.integers(0, 30), moments),
        st.tuples(st.just("pay"), st.integers(0, 30), moments),
        st.tuples(st.just("pay_over"), st.integers(0, 30), moments),
    ),
    min_size=1,
    max_size=12,
)


@pytest.fixture
def scheme(db):
    officer, manager = StaffFactory(), ManagerFactory()
    for year in (2025, 2026, 2027):
        BudgetYearFactory(
            start_year=year,
            strands={"vcs_support": 9_000, "volunteering": 5_000, "community_cohesion": 4_000},
        )
    packages = [
        PackageFactory(value=Decimal("2000.00"), strand="vcs_support"),
        PackageFactory(value=Decimal("1234.56"), strand="volunteering"),
        PackageFactory(value=Decimal("999.99"), strand="vcs_support"),
    ]
    return officer, manager, packages


def summary_breaks() -> set[str]:
    return {f.rule.code for f in check_ledger().findings} & SUMMARY_RULES


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_the_summaries_equal_the_ledger_after_any_history(scheme, ops):
    officer, manager, packages = scheme
    with transaction.atomic():
        live = []
        for op, which, moment in ops:
            with time_machine.travel(moment, tick=False):
                if op == "agree":
                    organisation = OrganisationFactory()
                    EligibilityDecisionFactory(organisation=organisation, decided_by=officer)
                    # Past the budget only by a manager's override, on the record.
                    live.append(
                        agree_package(
                            organisation=organisation, package=packages[which],
                            agreed_by=manager, override_reason="A property test.",
                        )
                    )  # fmt: skip
                    continue
                if not live:
                    continue
                agreed = live.pop(which % len(live))
                try:
                    if op == "cancel":
                        cancel_agreed_package(agreed, by=officer, reason="Testing")
                    elif op == "expire":
                        expire_agreed_package(agreed, reason="Testing")
                    else:
                        accept_for_test(agreed, by=officer)
                        start_delivery(agreed, by=officer)
                        claim_for_test(agreed, by=officer)
                        over = op == "pay_over"
                        record_spend(
                            agreed,
                            amount=agreed.value + (Decimal("0.01") if over else -Decimal("0.50")),
                            by=manager,
                            override_reason="An extra session." if over else "",
                        )
                        event("a payment")
                except IllegalTransition:
                    event("a move that was not allowed")
        assert summary_breaks() == set()
        # And the rebuild from the rows gives the same summaries as the running ones.
        kept = (list(StrandTotal.objects.values()), list(LedgerMonth.objects.values()))
        rebuild_summaries()
        rebuilt = (list(StrandTotal.objects.values()), list(LedgerMonth.objects.values()))
        strip = lambda rows: sorted(  # noqa: E731 - the ids of rebuilt rows are new
            tuple(sorted((k, v) for k, v in row.items() if k != "id")) for row in rows
        )
        assert [strip(x) for x in kept] == [strip(x) for x in rebuilt]
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    ("moment", "month"),
    [
        (datetime(2026, 3, 31, 23, 30, tzinfo=UTC), (2026, 4)),  # BST: already April
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), (2026, 12)),  # GMT: still December
        (datetime(2027, 1, 1, 0, 0, tzinfo=UTC), (2027, 1)),
    ],
)
def test_the_month_is_london_time(moment, month):
    assert (month_of(moment).year, month_of(moment).month, month_of(moment).day) == (*month, 1)


def test_a_strand_without_entries_has_all_of_its_budget(scheme):
    volunteering = BudgetStrand.objects.get(budget_year__start_year=2026, kind="volunteering")
    assert not StrandTotal.objects.filter(strand=volunteering).exists()
    assert strand_available(volunteering) == Decimal("5000.00")
