"""The pure rules of advice requests: the moves as data, what an asker, an answer and a
closure must say (field by field), time spent in words, and the report's months. No database."""

from datetime import date

import pytest

from volunteering import advice_rules as rules


def asked(**changes) -> dict:
    fields = {"question": "How do we pay expenses?", "topic": "expenses", "reply_by": "email"}
    return fields | changes


@pytest.mark.parametrize(
    ("status", "to", "allowed"),
    [
        ("open", "answered", True),
        ("open", "closed", True),
        ("open", "open", False),
        ("answered", "closed", True),
        ("answered", "answered", False),
        ("answered", "open", False),
        ("closed", "answered", False),
        ("closed", "closed", False),
        ("closed", "open", False),
    ],
)
def test_the_moves_are_the_table(status, to, allowed):
    decision = rules.may_move(status, to)
    assert bool(decision) is allowed
    assert decision.reason.endswith("Nothing was changed.") is not allowed


def test_a_refused_move_says_where_the_request_is():
    assert rules.may_move("closed", "answered").reason == (
        "This request has already been closed. Nothing was changed."
    )
    assert "already been answered" in rules.may_move("answered", "answered").reason


def test_a_good_question_has_no_problems():
    assert rules.question_problems(asked()) == {}
    assert rules.question_problems(asked(reply_by="phone", phone="0116 454 1000")) == {}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"question": "   "}, "question", "Enter your question"),
        ({"question": "x" * 1001}, "question", "Your question must be 1,000 characters or fewer"),
        ({"topic": "gardening"}, "topic", "Select what your question is about"),
        ({"topic": None}, "topic", "Select what your question is about"),
        ({"reply_by": ""}, "reply_by", "Select how you would like the answer"),
        ({"reply_by": "fax"}, "reply_by", "Select how you would like the answer"),
        ({"reply_by": "phone", "phone": " "}, "phone", "Enter the telephone number to call you on"),
        ({"reply_by": "phone", "phone": "12345"}, "phone", "Enter a UK telephone number"),
    ],
)
def test_a_question_is_refused_field_by_field(changes, field, message):
    problems = rules.question_problems(asked(**changes))
    assert list(problems) == [field]
    assert problems[field].startswith(message)


def test_a_question_of_exactly_the_limit_is_accepted():
    assert rules.question_problems(asked(question="x" * rules.QUESTION_LENGTH)) == {}


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("0116 454 1000", True),
        ("07700 900982", True),
        ("(0116) 454-1000", True),
        ("+44 7700 900 982", True),
        ("01164541000", True),
        ("0116 454", False),
        ("116 454 1000", False),
        ("+1 212 555 0100", False),
        ("0116 454 1000 ext 2", False),
        ("０１１６４５４１０００", False),
    ],
)
def test_uk_telephone_numbers(phone, ok):
    assert (rules.phone_problem(phone) is None) is ok


def test_a_phone_number_is_kept_as_it_is_dialled():
    assert rules.normalise_phone("(0116) 454-1000") == "01164541000"
    assert rules.normalise_phone("+44 7700 900 982") == "+447700900982"


@pytest.mark.parametrize(
    ("minutes", "at_least", "message"),
    [
        ("20", 1, None),
        (20, 1, None),
        ("480", 1, None),
        ("", 0, None),
        ("0", 0, None),
        ("", 1, "Enter the time you spent, in minutes"),
        (None, 1, "Enter the time you spent, in minutes"),
        ("0", 1, "The time you spent must be between 1 and 480 minutes"),
        ("481", 1, "The time you spent must be between 1 and 480 minutes"),
        ("-5", 0, "The time you spent must be between 0 and 480 minutes"),
        ("2.5", 1, "Enter the time you spent as a whole number of minutes, like 20"),
        ("twenty", 1, "Enter the time you spent as a whole number of minutes, like 20"),
        (True, 1, "Enter the time you spent as a whole number of minutes, like 20"),
        ("9" * 30, 1, "Enter the time you spent as a whole number of minutes, like 20"),
    ],
)
def test_time_spent(minutes, at_least, message):
    assert rules.minutes_problem(minutes, at_least=at_least) == message


def test_an_answer_needs_the_answer_a_topic_and_time_spent():
    assert rules.answer_problems({"answer": "Yes.", "topic": "other", "minutes": "5"}) == {}
    assert set(rules.answer_problems({"answer": " ", "topic": "", "minutes": ""})) == {
        "answer",
        "topic",
        "minutes",
    }
    too_long = rules.answer_problems({"answer": "x" * 5001, "topic": "other", "minutes": "5"})
    assert too_long == {"answer": "Your answer must be 5,000 characters or fewer"}


def test_closing_an_answered_request_needs_nothing_more():
    assert rules.close_problems({}, answered=True) == {}


def test_closing_without_an_answer_needs_the_reason_and_time_is_optional():
    assert rules.close_problems({"reason": "A duplicate."}, answered=False) == {}
    assert rules.close_problems({"reason": " "}, answered=False) == {
        "reason": "Enter why you are closing it without an answer"
    }
    assert rules.close_problems({"reason": "x" * 501}, answered=False) == {
        "reason": "The reason must be 500 characters or fewer"
    }
    assert "minutes" in rules.close_problems(
        {"reason": "A duplicate.", "minutes": "lots"}, answered=False
    )


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0, "0 minutes"),
        (1, "1 minute"),
        (45, "45 minutes"),
        (60, "1 hour"),
        (61, "1 hour 1 minute"),
        (150, "2 hours 30 minutes"),
        (None, "0 minutes"),
    ],
)
def test_time_spent_in_words(minutes, words):
    assert rules.hours_and_minutes(minutes) == words


def test_months_run_across_the_year_end_with_none_skipped():
    assert rules.months_between(date(2026, 11, 30), date(2027, 2, 1)) == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]
    assert rules.months_between(date(2026, 5, 31), date(2026, 5, 1)) == [date(2026, 5, 1)]


def test_every_topic_has_words():
    assert "other" in rules.TOPICS and all(rules.TOPICS.values())
