"""The dashboard's arithmetic, without a database."""

from datetime import date
from decimal import Decimal

import pytest

from reports.chart import build_chart
from reports.open_data import org_identifier, planned_end
from reports.rules import (
    clamp_month,
    forecast_outturn,
    month_starts,
    monthly_series,
    percent,
)

D = Decimal
START, END = date(2025, 4, 1), date(2026, 3, 31)  # 365 days


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (D("0"), D("100"), D("0.0")),
        (D("1"), D("3"), D("33.3")),
        (D("2"), D("3"), D("66.7")),
        (D("450000"), D("450000"), D("100.0")),
        (D("500"), D("400"), D("125.0")),
        (D("5"), D("0"), None),
    ],
)
def test_percent_rounds_half_up_to_one_place_and_has_none_without_a_whole(part, whole, expected):
    assert percent(part, whole) == expected


@pytest.mark.parametrize(
    ("used", "today", "amount", "rate", "elapsed", "remaining"),
    [
        # 73 days gone (1 April to 12 June), 292 left: £7,300 / 73 = £100 a day.
        (D("7300.00"), date(2025, 6, 12), D("36500.00"), D("100.00"), 73, 292),
        # The first day: one day gone, the rate is the whole amount.
        (D("1000.00"), START, D("365000.00"), D("1000.00"), 1, 364),
        # The last day: nothing left to project.
        (D("123456.78"), END, D("123456.78"), D("338.24"), 365, 0),
        # Nothing used yet: a forecast of nothing.
        (D("0.00"), date(2025, 10, 1), D("0.00"), D("0.00"), 184, 181),
        # Rounded to the penny: 100 + 100 × 362 / 3.
        (D("100.00"), date(2025, 4, 3), D("12166.67"), D("33.33"), 3, 362),
    ],
)
def test_forecast_projects_the_daily_run_rate_over_the_days_left(
    used, today, amount, rate, elapsed, remaining
):
    forecast = forecast_outturn(
        used=used, budget=D("450000.00"), starts_on=START, ends_on=END, today=today
    )
    assert forecast.amount == amount
    assert forecast.run_rate_per_day == rate
    assert (forecast.days_elapsed, forecast.days_remaining) == (elapsed, remaining)


def test_forecast_says_how_it_was_worked_out():
    forecast = forecast_outturn(
        used=D("7300.00"),
        budget=D("36500.00"),
        starts_on=START,
        ends_on=END,
        today=date(2025, 6, 12),
    )
    assert forecast.explanation == (
        "£7,300.00 has been committed or spent in the 73 days of the year so far, about "
        "£100.00 a day. If that rate carries on for the 292 days left, the year ends at "
        "£36,500.00 (100.0% of the £36,500.00 budget)."
    )


def test_there_is_no_forecast_before_the_year_starts():
    forecast = forecast_outturn(
        used=D("5000"), budget=D("1"), starts_on=START, ends_on=END, today=date(2025, 3, 31)
    )
    assert forecast.amount is None
    assert "starts on 1 April 2025" in forecast.explanation


def test_after_the_year_the_outturn_is_what_was_used():
    forecast = forecast_outturn(
        used=D("400000"), budget=D("450000"), starts_on=START, ends_on=END, today=date(2026, 5, 1)
    )
    assert forecast.amount == D("400000.00")
    assert forecast.explanation.startswith("The year has ended")
    assert "88.9% of the £450,000.00 budget" in forecast.explanation


def test_months_run_from_april_to_march():
    months = month_starts(START)
    assert months[0] == date(2025, 4, 1)
    assert months[-1] == date(2026, 3, 1)
    assert len(months) == 12
    assert clamp_month(date(2025, 2, 1), months) == date(2025, 4, 1)
    assert clamp_month(date(2026, 6, 1), months) == date(2026, 3, 1)
    assert clamp_month(date(2025, 9, 1), months) == date(2025, 9, 1)


def test_monthly_series_keeps_running_totals_and_an_even_spend_line():
    months = month_starts(START)
    sums = {
        date(2025, 5, 1): (D("2000"), D("0"), D("0")),
        date(2025, 7, 1): (D("3500"), D("2000"), D("1800")),
        date(2025, 9, 1): (D("0"), D("3500"), D("0")),
    }
    rows = monthly_series(months, sums, D("120000.00"))
    used = [r.cumulative_used for r in rows]
    assert used[:6] == [D("0"), D("2000"), D("2000"), D("5300"), D("5300"), D("1800")]
    assert rows[3].cumulative_spent == D("1800")
    assert rows[3].net_committed == D("1500")
    assert [r.even_spend for r in rows][:3] == [D("10000.00"), D("20000.00"), D("30000.00")]
    assert rows[-1].even_spend == D("120000.00")


def test_the_chart_puts_the_budget_line_at_the_top_end_and_starts_at_zero():
    months = month_starts(START)
    rows = monthly_series(months, {}, D("100000.00"))
    chart = build_chart(rows, D("100000.00"))
    points = chart.even.split()
    assert points[0] == f"{chart.left:.1f},{chart.bottom_y:.1f}"  # zero on 1 April
    assert points[-1] == f"{chart.right_x:.1f},{chart.top:.1f}"  # the whole budget by 31 March
    assert [t.label for t in chart.y_ticks] == ["£0", "£25,000", "£50,000", "£75,000", "£100,000"]
    assert chart.x_labels[0][1] == "Apr" and chart.x_labels[-1][1] == "Mar"


@pytest.mark.parametrize(
    ("charity", "company", "expected"),
    [
        ("1012345", None, "GB-CHC-1012345"),
        ("1012345", "01234567", "GB-CHC-1012345"),  # a charitable company: the charity number
        (None, "09876543", "GB-COH-09876543"),
        ("SC012345", None, "GB-SC-SC012345"),
        ("NIC100001", None, "GB-NIC-100001"),
        (None, None, "360G-LeicesterCC-ORG-42"),
        ("", "", "360G-LeicesterCC-ORG-42"),
    ],
)
def test_recipients_are_identified_by_their_register(charity, company, expected):
    assert org_identifier(charity_number=charity, company_number=company, pk=42) == expected


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 5, 10), date(2025, 11, 9)),
        (date(2025, 8, 31), date(2026, 2, 27)),  # no 31 February: the 28th, less a day
        (date(2025, 10, 1), date(2026, 3, 31)),
    ],
)
def test_planned_end_is_six_months_on(start, end):
    assert planned_end(start) == end
