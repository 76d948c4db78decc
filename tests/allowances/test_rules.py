"""The cap, budget and eligibility rules, table-driven, with no database."""

from datetime import date
from decimal import Decimal

import pytest

from allowances.rules import (
    FINANCIAL_YEAR,
    ROLLING,
    CapPolicy,
    budget_decision,
    budget_split_problems,
    cap_decision,
    financial_year_of,
    fy_label,
    next_available_date,
    override_decision,
    policy_on,
    summarise,
)
from diagnostics.rules import eligibility_decision
from packages.money import format_money

D = date
FY = CapPolicy()  # 2 a year, 4 in any 3 financial years
ROLL = CapPolicy(basis=ROLLING)  # 2 in any 365 days, 4 in any 1,095 days


@pytest.mark.parametrize(
    "day, year, label",
    [
        (D(2025, 3, 31), 2024, "2024/25"),
        (D(2025, 4, 1), 2025, "2025/26"),
        (D(2024, 2, 29), 2023, "2023/24"),
        (D(2099, 12, 31), 2099, "2099/00"),
    ],
)
def test_the_financial_year_starts_on_1_april(day, year, label):
    assert financial_year_of(day) == year
    assert fy_label(year) == label


@pytest.mark.parametrize(
    "policy, dates, day, allowed",
    [
        # Financial years: 2 a year.
        (FY, [], D(2025, 6, 1), True),
        (FY, [D(2025, 4, 1)], D(2026, 3, 31), True),
        (FY, [D(2025, 4, 1), D(2026, 3, 31)], D(2025, 9, 1), False),
        (FY, [D(2025, 3, 31), D(2025, 3, 30)], D(2025, 4, 1), True),  # new year, new count
        # ... and 4 in any three consecutive financial years.
        (FY, [D(2023, 5, 1), D(2024, 5, 1), D(2024, 6, 1), D(2025, 5, 1)], D(2025, 6, 1), False),
        (FY, [D(2023, 5, 1), D(2024, 5, 1), D(2024, 6, 1), D(2025, 5, 1)], D(2026, 4, 1), True),
        (FY, [D(2022, 5, 1), D(2022, 6, 1), D(2024, 5, 1), D(2024, 6, 1)], D(2025, 4, 1), True),
        # A backdated package must fit the windows that reach forward too.
        (FY, [D(2026, 5, 1), D(2027, 5, 1), D(2027, 6, 1), D(2028, 5, 1)], D(2025, 6, 1), True),
        (FY, [D(2026, 5, 1), D(2026, 6, 1), D(2027, 5, 1), D(2027, 6, 1)], D(2025, 6, 1), False),
        # Rolling: any 365 days.
        (ROLL, [D(2025, 1, 1), D(2025, 6, 1)], D(2025, 12, 31), False),
        (ROLL, [D(2025, 1, 1), D(2025, 6, 1)], D(2026, 1, 1), True),
        # 2024 is a leap year: 365 days from 1 March 2024 end on 28 February 2025.
        (ROLL, [D(2024, 3, 1), D(2024, 6, 1)], D(2025, 2, 28), False),
        (ROLL, [D(2024, 3, 1), D(2024, 6, 1)], D(2025, 3, 1), True),
        (ROLL, [D(2024, 2, 29), D(2024, 6, 1)], D(2025, 2, 28), True),
        # Rolling: any 1,095 days.
        (
            ROLL,
            [D(2023, 1, 1), D(2023, 6, 1), D(2024, 6, 1), D(2025, 6, 1)],
            D(2025, 12, 30),
            False,
        ),
        (ROLL, [D(2023, 1, 1), D(2023, 6, 1), D(2024, 6, 1), D(2025, 6, 1)], D(2026, 1, 1), True),
        # Rolling windows reach forward as well as back.
        (ROLL, [D(2025, 6, 1), D(2025, 12, 1)], D(2025, 1, 1), False),
    ],
)
def test_cap_decision(policy, dates, day, allowed):
    decision = cap_decision(organisation_name="Org", dates=dates, day=day, policies=[policy])
    assert decision.allowed is allowed, decision.reason


@pytest.mark.parametrize(
    "policy, dates, day, reason",
    [
        (
            FY,
            [D(2025, 4, 1), D(2025, 5, 1)],
            D(2025, 9, 1),
            "Org already has 2 packages in the 2025/26 financial year (1 April 2025 to 31 March "
            "2026), the most allowed in any financial year. The earliest date another package "
            "can be agreed is 1 April 2026.",
        ),
        (
            FY,
            [D(2023, 5, 1), D(2024, 5, 1), D(2024, 6, 1), D(2025, 5, 1)],
            D(2025, 6, 1),
            "Org already has 4 packages in the 3 financial years 2023/24 to 2025/26, the most "
            "allowed in any 3 consecutive financial years. The earliest date another package "
            "can be agreed is 1 April 2026.",
        ),
        (
            ROLL,
            [D(2024, 3, 1), D(2024, 6, 1)],
            D(2025, 2, 1),
            # 2024 is a leap year: 3 February 2024 plus 364 days is 1 February 2025.
            "Org already has 2 packages in the 365 days from 3 February 2024 to 1 February 2025, "
            "the most allowed in any 365 days. The earliest date another package can be agreed "
            "is 1 March 2025.",
        ),
        (
            CapPolicy(per_year=2, per_period=3, period_years=2, basis=ROLLING),
            [D(2023, 7, 1), D(2024, 1, 10), D(2025, 3, 1)],
            D(2025, 5, 1),
            # The period is full until 1 July 2023 leaves it, 730 days later.
            "Org already has 3 packages in the 730 days from 3 May 2023 to 1 May 2025, the "
            "most allowed in any 730 days. The earliest date another package can be agreed is "
            "30 June 2025.",
        ),
    ],
)
def test_a_refusal_says_which_window_is_full_and_when_the_next_one_can_be_agreed(
    policy, dates, day, reason
):
    assert cap_decision(
        organisation_name="Org", dates=dates, day=day, policies=[policy]
    ).reason == (reason)


@pytest.mark.parametrize(
    "policies, dates, today, expected",
    [
        ([FY], [], D(2025, 6, 1), D(2025, 6, 1)),
        ([FY], [D(2025, 4, 1), D(2025, 5, 1)], D(2025, 6, 1), D(2026, 4, 1)),
        ([ROLL], [D(2025, 4, 1), D(2025, 5, 1)], D(2025, 6, 1), D(2026, 4, 1)),
        ([ROLL], [D(2024, 2, 29), D(2024, 5, 1)], D(2024, 6, 1), D(2025, 2, 28)),
        # A looser policy taking effect later brings the date forward.
        (
            [FY, CapPolicy(per_year=3, per_period=6, effective_from=D(2025, 9, 1))],
            [D(2025, 4, 1), D(2025, 5, 1)],
            D(2025, 6, 1),
            D(2025, 9, 1),
        ),
    ],
)
def test_next_available_date(policies, dates, today, expected):
    assert next_available_date(dates, today, policies) == expected


def test_the_policy_in_force_is_the_latest_to_have_taken_effect():
    old = CapPolicy(per_year=1, effective_from=D(2020, 1, 1))
    new = CapPolicy(per_year=3, per_period=6, effective_from=D(2025, 4, 1))
    assert policy_on([new, old], D(2025, 3, 31)) == old
    assert policy_on([new, old], D(2025, 4, 1)) == new
    assert policy_on([], D(2025, 4, 1)) == CapPolicy()


def test_the_summary_speaks_plain_words():
    summary = summarise([D(2024, 5, 1), D(2025, 5, 1), D(2025, 6, 1)], D(2025, 7, 1), [FY])
    assert summary.year_sentence == (
        "2 of 2 used in the 2025/26 financial year (1 April 2025 to 31 March 2026)."
    )
    assert summary.period_sentence == "3 of 4 used in the 3 financial years 2023/24 to 2025/26."
    assert (
        summary.next_sentence == "The earliest date another package can be agreed is 1 April 2026."
    )
    assert not summary.can_agree_now
    rolling = summarise([D(2025, 5, 1)], D(2025, 7, 1), [ROLL])
    assert rolling.year_sentence == "1 of 2 used in the 365 days from 2 July 2024 to 1 July 2025."
    assert rolling.next_sentence == "Another package can be agreed now."
    assert rolling.can_agree_now


@pytest.mark.parametrize(
    "available, value, allowed, reason",
    [
        (Decimal("2000.00"), Decimal("2000.00"), True, ""),
        (Decimal("1999.99"), Decimal("2000.00"), False, "£0.01 short"),
        (
            Decimal("1200.00"),
            Decimal("2500.00"),
            False,
            "The VCS support packages budget for 2025/26 has £1,200.00 left, but Fund Raising "
            "costs £2,500.00: £1,300.00 short.",
        ),
        (Decimal("-500.00"), Decimal("100.00"), False, "has −£500.00 left"),
    ],
)
def test_budget_decision(available, value, allowed, reason):
    decision = budget_decision(
        available=available,
        value=value,
        package_name="Fund Raising",
        strand_name="VCS support packages",
        year=2025,
    )
    assert decision.allowed is allowed
    assert reason in decision.reason


LABELS = {"a": "Strand A", "b": "Strand B"}


@pytest.mark.parametrize(
    "total, strands, used, expected",
    [
        ("450000", {"a": "300000", "b": "150000"}, {}, {}),
        (
            "460000",
            {"a": "300000", "b": "150000"},
            {},
            {"total": "The total must be £450,000.00 or less – £460,000.00 is £10,000.00 over"},
        ),
        (
            "400000",
            {"a": "355000", "b": "45000"},
            {},
            {"b": "Strand B must be at least £50,000.00 – £45,000.00 is £5,000.00 short"},
        ),
        (
            "400000",
            {"a": "300000", "b": "150000"},
            {},
            {
                "total": "The strands add up to £450,000.00, which is £50,000.00 more than the "
                "total of £400,000.00"
            },
        ),
        (
            "400000",
            {"a": "300000", "b": "60000"},
            {"b": "62500.50"},
            {
                "b": "Strand B cannot be less than the £62,500.50 already committed or spent – "
                "£60,000.00 is £2,500.50 short"
            },
        ),
    ],
)
def test_budget_split_problems_say_which_rule_and_by_how_much(total, strands, used, expected):
    problems = budget_split_problems(
        total=Decimal(total),
        strands={k: Decimal(v) for k, v in strands.items()},
        used={k: Decimal(v) for k, v in used.items()},
        labels=LABELS,
        ceiling=Decimal("450000"),
        floor=Decimal("50000"),
    )
    assert problems == expected


@pytest.mark.parametrize(
    "is_manager, reason, allowed",
    [(True, "Urgent", True), (True, "  ", False), (False, "Urgent", False)],
)
def test_only_a_manager_with_a_reason_may_override(is_manager, reason, allowed):
    assert override_decision(is_manager=is_manager, reason=reason).allowed is allowed


@pytest.mark.parametrize(
    "outcome, valid_from, valid_until, on, allowed, reason",
    [
        (None, None, None, D(2025, 6, 1), False, "Org has no eligibility decision yet."),
        (
            "eligible",
            D(2025, 1, 1),
            D(2027, 12, 31),
            D(2025, 6, 1),
            True,
            "eligible until 31 December 2027",
        ),
        ("eligible", D(2025, 1, 1), D(2027, 12, 31), D(2027, 12, 31), True, ""),
        (
            "eligible",
            D(2025, 1, 1),
            D(2027, 12, 31),
            D(2028, 1, 1),
            False,
            "expired on 31 December 2027",
        ),
        (
            "eligible",
            D(2025, 1, 1),
            D(2027, 12, 31),
            D(2024, 12, 31),
            False,
            "starts on 1 January 2025",
        ),
        (
            "not_eligible",
            D(2025, 1, 1),
            None,
            D(2025, 6, 1),
            False,
            "was found not eligible on 2 January 2025",
        ),
    ],
)
def test_eligibility_holds_only_inside_the_latest_eligible_decision(
    outcome, valid_from, valid_until, on, allowed, reason
):
    decision = eligibility_decision(
        organisation_name="Org",
        on=on,
        outcome=outcome,
        valid_from=valid_from,
        valid_until=valid_until,
        decided_on=D(2025, 1, 2),
    )
    assert decision.allowed is allowed
    assert reason in decision.reason


@pytest.mark.parametrize(
    "amount, text",
    [("0", "£0.00"), ("2500", "£2,500.00"), ("1234567.891", "£1,234,567.89"), ("-5", "−£5.00")],
)
def test_money_is_shown_in_pounds_and_pence(amount, text):
    assert format_money(Decimal(amount)) == text


def test_policy_constants_are_what_the_models_store():
    assert {FINANCIAL_YEAR, ROLLING} == {"financial_year", "rolling"}
