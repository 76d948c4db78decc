"""The pure rules of concerns: moves as data, limits, links, when an officer may decide,
and which reminder is due. No database."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants import concern_rules as moves
from notifications.rules import WORKING_DAYS, DeadlineRule, Period

NOW = datetime(2026, 6, 2, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "to", "allowed"),
    [
        ("unconfirmed", "awaiting_response", True),
        ("unconfirmed", "awaiting_review", False),
        ("unconfirmed", "closed", False),
        ("awaiting_response", "awaiting_review", True),
        ("awaiting_response", "closed", True),
        ("awaiting_response", "unconfirmed", False),
        ("awaiting_review", "closed", True),
        ("awaiting_review", "awaiting_response", False),
        ("closed", "awaiting_review", False),
        ("closed", "closed", False),
    ],
)
def test_the_moves_are_the_table(status, to, allowed):
    assert bool(moves.concern_move(status, to)) is allowed


def test_a_refused_move_says_why_and_that_nothing_changed():
    assert moves.concern_move("closed", "closed").reason == (
        "This concern already has an outcome. Nothing was changed."
    )


@pytest.mark.parametrize(
    ("words", "problem"),
    [(500, None), (501, "What happened must be 500 words or fewer")],
)
def test_the_word_limit_counts_words_not_characters(words, problem):
    text = " ".join(["misrepresented"] * words)
    assert moves.word_limit_problem(text, 500, "What happened") == problem


def test_a_long_limit_is_written_with_a_comma():
    text = " ".join(["x"] * 1001)
    assert moves.word_limit_problem(text, 1000, "Your response") == (
        "Your response must be 1,000 words or fewer"
    )


@pytest.mark.parametrize(("count", "reached"), [(0, False), (2, False), (3, True), (5, True)])
def test_an_address_has_3_concerns_a_day(count, reached):
    assert moves.email_limit_reached(moves.Recent(count, NOW)) is reached


@pytest.mark.parametrize(("count", "allowed"), [(0, True), (9, True), (10, False), (20, False)])
def test_a_network_has_10_an_hour(count, allowed):
    decision = moves.source_limit_decision(moves.Recent(count, NOW - timedelta(minutes=20)))
    assert bool(decision) is allowed


def test_the_network_limit_says_when_another_may_be_raised():
    oldest = datetime(2026, 6, 2, 13, 30, tzinfo=UTC)  # 2:30pm in London (BST)
    refusal = moves.source_limit_decision(moves.Recent(10, oldest)).reason
    assert "from your network in the last hour" in refusal
    assert "3:30pm on Tuesday 2 June 2026" in refusal


def test_an_ipv6_network_is_its_64_and_an_ipv4_one_its_address():
    one = moves.source_hash("2001:db8:1:2::1", "key")
    assert one == moves.source_hash("2001:db8:1:2:ffff:ffff:ffff:ffff", "key")
    assert one != moves.source_hash("2001:db8:1:3::1", "key")
    assert moves.source_hash("203.0.113.7", "key") != moves.source_hash("203.0.113.8", "key")
    assert moves.network_of("not an address") == "not an address"


def test_one_long_word_is_refused_by_its_characters():
    problem = moves.word_limit_problem("x" * 10_001, 500, "What happened")
    assert problem == "What happened must be 10,000 characters or fewer"
    assert moves.word_limit_problem("x" * 10_000, 500, "What happened") is None


def test_the_source_is_keyed_so_the_same_address_differs_between_keys():
    one = moves.source_hash("203.0.113.7", "key-one")
    assert one == moves.source_hash("203.0.113.7", "key-one")
    assert one != moves.source_hash("203.0.113.7", "key-two")
    assert one != moves.source_hash("203.0.113.8", "key-one")
    assert len(one) == 64 and "203" not in one


def test_only_the_tokens_hash_is_stored():
    assert moves.token_hash("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


@pytest.mark.parametrize(
    ("status", "age", "allowed", "says"),
    [
        (None, None, False, "This link is not valid"),
        ("unconfirmed", timedelta(hours=23, minutes=59), True, ""),
        ("unconfirmed", timedelta(hours=24), False, "This link has expired"),
        ("awaiting_response", timedelta(minutes=5), False, "already been used"),
        ("closed", timedelta(days=30), False, "already been used"),
    ],
)
def test_a_link_works_once_and_for_24_hours(status, age, allowed, says):
    decision = moves.link_decision(
        status=status, created_at=NOW - age if age is not None else None, now=NOW
    )
    assert bool(decision) is allowed
    assert says in decision.reason


@pytest.mark.parametrize(
    ("status", "respond_by", "allowed"),
    [
        ("awaiting_review", date(2026, 6, 10), True),  # responded: before the date is fine
        ("awaiting_response", date(2026, 6, 1), True),  # the date has passed
        ("awaiting_response", date(2026, 6, 2), False),  # the last day to respond: not yet
        ("awaiting_response", date(2026, 6, 10), False),
        ("closed", date(2026, 6, 1), False),
        ("unconfirmed", None, False),
    ],
)
def test_an_officer_decides_after_a_response_or_after_the_date(status, respond_by, allowed):
    decision = moves.may_review(status=status, respond_by=respond_by, today=date(2026, 6, 2))
    assert bool(decision) is allowed


def test_too_early_says_until_when():
    reason = moves.may_review(
        status="awaiting_response", respond_by=date(2026, 6, 10), today=date(2026, 6, 2)
    ).reason
    assert reason.startswith("The representative has until 10 June 2026 to respond.")


RULE = DeadlineRule(
    code="concern_response",
    name="Representative responds to a concern",
    period=Period(10, WORKING_DAYS),
    remind_before=Period(3, WORKING_DAYS),
)
DUE = date(2026, 6, 12)  # a Friday; the reminder is due from Tuesday 9 June


@pytest.mark.parametrize(
    ("today", "reminded_on", "notice"),
    [
        (date(2026, 6, 8), None, None),
        (date(2026, 6, 9), None, "reminder"),
        (date(2026, 6, 12), None, "reminder"),
        (date(2026, 6, 12), date(2026, 6, 9), None),  # reminded already
        (date(2026, 6, 13), date(2026, 6, 9), "missed"),  # the reminder was not the notice
        (date(2026, 6, 13), None, "missed"),
        (date(2026, 6, 20), date(2026, 6, 13), None),  # told it was missed already
    ],
)
def test_one_reminder_before_the_date_and_one_notice_after(today, reminded_on, notice):
    assert moves.reminder_kind(RULE, respond_by=DUE, reminded_on=reminded_on, today=today) == notice


@given(start=st.dates(date(2026, 1, 1), date(2027, 12, 31)), days=st.integers(1, 60))
def test_run_daily_a_concern_gets_at_most_one_reminder_and_one_missed_notice(start, days):
    """Whatever day it starts on, a daily job that records each notice sends each at most once,
    and the missed notice only after the date."""
    due = RULE.due_on(start)
    reminded_on, sent = None, []
    for offset in range(days):
        today = start + timedelta(days=offset)
        notice = moves.reminder_kind(RULE, respond_by=due, reminded_on=reminded_on, today=today)
        if notice:
            sent.append((notice, today))
            reminded_on = today
    kinds = [kind for kind, _ in sent]
    assert kinds.count("reminder") <= 1 and kinds.count("missed") <= 1
    assert all(day > due for kind, day in sent if kind == "missed")
    assert all(day <= due for kind, day in sent if kind == "reminder")
    if start + timedelta(days=days - 1) > due:
        assert "missed" in kinds
