"""The monitoring reports' pure rules: periods, moves, when a report may be sent, overdue,
what sending needs, the states shown, and which reminder is due. No database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants import monitoring_rules as m
from grants.rules import SCHEDULE_MONTHS, instalments
from notifications.rules import DAYS, WORKING_DAYS, DeadlineRule, Period

# --------------------------------------------------------------- periods


def periods(amount, start, end, schedule="quarterly"):
    return m.report_periods(
        instalments(Decimal(amount), start=start, end=end, schedule=schedule), ends_on=end
    )


def test_a_quarterly_year_has_four_periods_each_ending_the_day_before_the_next():
    got = periods("12000.00", date(2026, 10, 1), date(2027, 9, 30))
    assert [(p.number, p.starts_on, p.ends_on, p.amount) for p in got] == [
        (1, date(2026, 10, 1), date(2026, 12, 31), Decimal("3000.00")),
        (2, date(2027, 1, 1), date(2027, 3, 31), Decimal("3000.00")),
        (3, date(2027, 4, 1), date(2027, 6, 30), Decimal("3000.00")),
        (4, date(2027, 7, 1), date(2027, 9, 30), Decimal("3000.00")),
    ]


@pytest.mark.parametrize(
    "schedule, start, end, count, last_start",
    [
        ("single", date(2026, 10, 1), date(2027, 9, 30), 1, date(2026, 10, 1)),
        ("annual", date(2026, 10, 1), date(2028, 9, 30), 2, date(2027, 10, 1)),
        ("half_yearly", date(2026, 10, 1), date(2027, 9, 30), 2, date(2027, 4, 1)),
        ("monthly", date(2027, 1, 31), date(2027, 4, 30), 3, date(2027, 3, 31)),
        # A period that does not fill its last quarter: the last period is short.
        ("quarterly", date(2026, 10, 1), date(2027, 2, 14), 2, date(2027, 1, 1)),
    ],
)
def test_each_schedule_gives_one_period_per_instalment_the_last_to_the_grants_end(
    schedule, start, end, count, last_start
):
    got = periods("1000.00", start, end, schedule)
    assert len(got) == count
    assert got[-1].starts_on == last_start and got[-1].ends_on == end


def test_pennies_left_over_go_to_the_first_periods_and_add_up_to_the_award():
    got = periods("1000.00", date(2026, 10, 1), date(2027, 9, 30))
    assert [p.amount for p in got] == [Decimal("250.00")] * 4
    got = periods("100.01", date(2026, 10, 1), date(2027, 9, 30))
    assert [p.amount for p in got] == [Decimal("25.01"), *[Decimal("25.00")] * 3]


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    days=st.integers(min_value=1, max_value=3 * 366),
    pennies=st.integers(min_value=1, max_value=50_000_000),
    schedule=st.sampled_from(sorted(SCHEDULE_MONTHS)),
)
def test_the_periods_cover_the_grant_exactly_without_gaps_or_overlaps(
    start, days, pennies, schedule
):
    end = start + timedelta(days=days)
    amount = Decimal(pennies) / 100
    got = periods(amount, start, end, schedule)
    assert got[0].starts_on == start and got[-1].ends_on == end
    assert [p.number for p in got] == list(range(1, len(got) + 1))
    for earlier, later in zip(got, got[1:], strict=False):
        assert later.starts_on == earlier.ends_on + timedelta(days=1)
    assert all(p.starts_on <= p.ends_on for p in got)
    assert sum(p.amount for p in got) == amount
    assert max(p.amount for p in got) - min(p.amount for p in got) <= Decimal("0.01")


# --------------------------------------------------------------- moves


@pytest.mark.parametrize(
    "status, to, allowed",
    [
        ("due", "sent", True),
        ("more_needed", "sent", True),
        ("sent", "accepted", True),
        ("sent", "more_needed", True),
        ("due", "accepted", False),
        ("due", "more_needed", False),
        ("sent", "sent", False),
        ("accepted", "sent", False),
        ("accepted", "accepted", False),
        ("accepted", "more_needed", False),
        ("more_needed", "accepted", False),
    ],
)
def test_the_moves_are_the_table(status, to, allowed):
    assert bool(m.report_move(status, to)) is allowed


def test_a_refused_move_says_where_the_report_is():
    assert m.report_move("accepted", "accepted").reason == (
        "This report has been accepted and its instalment paid."
    )
    assert m.report_move("sent", "sent").reason == (
        "This report has been sent and is waiting for the council."
    )


def test_a_report_is_sent_from_the_last_day_of_its_period_never_before():
    last = date(2026, 12, 31)
    early = m.may_send(ends_on=last, today=last - timedelta(days=1))
    assert not early
    assert early.reason == (
        "You can send this report from 31 December 2026, the last day of its period. "
        "You can save it as a draft until then."
    )
    assert m.may_send(ends_on=last, today=last)
    assert m.may_send(ends_on=last, today=last + timedelta(days=90))


def test_a_draft_is_written_from_the_first_day_of_the_period():
    first = date(2026, 10, 1)
    before = m.may_write(starts_on=first, today=first - timedelta(days=1))
    assert not before
    assert before.reason == "This report's period starts on 1 October 2026: write it from then."
    assert m.may_write(starts_on=first, today=first)


@pytest.mark.parametrize(
    "status, today, overdue",
    [
        ("due", date(2027, 1, 15), False),  # the due date itself
        ("due", date(2027, 1, 16), True),
        ("more_needed", date(2027, 1, 16), True),
        ("sent", date(2027, 3, 1), False),
        ("accepted", date(2027, 3, 1), False),
    ],
)
def test_overdue_is_not_sent_and_past_the_due_date(status, today, overdue):
    assert m.is_overdue(status=status, due_on=date(2027, 1, 15), today=today) is overdue


# --------------------------------------------------------------- what sending needs

FULL = {
    "engagement_activities": "Meetings.",
    "people_reached": 0,
    "issues_raised": "Parking.",
    "feedback_given": "Newsletter.",
    "community_views": "Calmer.",
}


def test_a_full_report_may_be_sent_with_zero_people_reached():
    assert m.sending_problems(FULL) == {}


def test_every_missing_answer_has_its_own_message():
    assert m.sending_problems({"people_reached": None, "issues_raised": "   "}) == {
        "engagement_activities": "Describe the engagement activities in this period",
        "people_reached": "Enter the number of people reached",
        "issues_raised": "Describe the issues you took to the council",
        "feedback_given": "Describe the feedback you gave to the community",
        "community_views": "Describe any changes in the community's views",
    }


def test_a_negative_number_of_people_is_refused():
    assert m.sending_problems({**FULL, "people_reached": -1}) == {
        "people_reached": "The number of people reached must be 0 or more"
    }


def test_the_payment_note_names_the_instalment_and_the_grant():
    assert m.payment_note(period=2, periods=4, reference="VCS-GRA-000031") == (
        "Instalment 2 of 4 for VCS-GRA-000031"
    )


# --------------------------------------------------------------- states and reminders

STARTS, ENDS, DUE = date(2026, 10, 1), date(2026, 12, 31), date(2027, 1, 15)


@pytest.mark.parametrize(
    "status, today, words, overdue",
    [
        ("due", date(2026, 9, 30), "Period not started", False),
        ("due", date(2026, 11, 1), "Period in progress", False),
        ("due", ENDS, "Ready to send", False),
        ("due", DUE, "Ready to send", False),
        ("due", DUE + timedelta(days=1), "Overdue", True),
        ("more_needed", DUE, "More information asked for", False),
        ("more_needed", DUE + timedelta(days=1), "Overdue: more information asked for", True),
        ("sent", DUE + timedelta(days=30), "Sent, waiting for the council", False),
        ("accepted", DUE + timedelta(days=30), "Accepted, instalment paid", False),
    ],
)
def test_the_state_shown_for_each_status_and_day(status, today, words, overdue):
    state = m.report_state(status=status, starts_on=STARTS, ends_on=ENDS, due_on=DUE, today=today)
    assert (state.words, state.overdue) == (words, overdue)
    assert state.tag == "govuk-tag--red" if overdue else state.tag != "govuk-tag--red"


RULE = DeadlineRule(
    code="grant_report",
    name="Report",
    period=Period(10, WORKING_DAYS),
    remind_before=Period(5, DAYS),
)


@pytest.mark.parametrize(
    "status, today, kind",
    [
        ("due", DUE - timedelta(days=6), ""),
        ("due", DUE - timedelta(days=5), m.REMINDER),
        ("due", DUE, m.REMINDER),
        ("due", DUE + timedelta(days=1), m.MISSED),
        ("more_needed", DUE + timedelta(days=1), m.MISSED),
        ("more_needed", DUE - timedelta(days=1), m.REMINDER),
        ("sent", DUE - timedelta(days=1), ""),
        ("sent", DUE + timedelta(days=1), ""),
        ("accepted", DUE + timedelta(days=1), ""),
    ],
)
def test_the_reminder_due_today(status, today, kind):
    assert m.reminder_kind(status=status, due_on=DUE, today=today, rule=RULE) == kind
