"""The pure decisions about applications: no database."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from grants import application_rules as moves
from grants.rules import CityPopulation
from organisations.rules import Decision

CITY = CityPopulation(total=329_839, source="the 2011 census", percent=Decimal("1"))
TABLE = {"LE1": True, "LE2": True, "LE8": False}
OPENS = datetime(2026, 5, 1, 8, tzinfo=UTC)
CLOSES = datetime(2026, 6, 12, 16, tzinfo=UTC)  # 5pm in London


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("   ", 0),
        ("one", 1),
        ("two  words", 2),
        ("line\nbreaks\tand tabs", 4),
        ("hyphen-ated words count once", 4),
    ],
)
def test_words_are_counted_as_a_reader_counts_them(text, count):
    assert moves.word_count(text) == count


def test_an_answer_at_the_limit_passes_and_one_word_over_is_refused_in_gov_uk_words():
    assert moves.word_limit_problem(" ".join(["w"] * 500), 500) is None
    assert moves.word_limit_problem(" ".join(["w"] * 501), 500) == (
        "Answer must be 500 words or fewer"
    )
    assert moves.word_limit_problem("w " * 1001, 1000) == "Answer must be 1,000 words or fewer"


@pytest.mark.parametrize(
    ("verb", "status", "allowed"),
    [
        ("submit", "draft", True),
        ("submit", "submitted", False),
        ("submit", "withdrawn", False),
        ("withdraw", "draft", True),
        ("withdraw", "submitted", True),
        ("withdraw", "withdrawn", False),
    ],
)
def test_the_moves_are_data(verb, status, allowed):
    assert bool(moves.application_move(verb, status)) is allowed


def test_a_refused_move_says_what_the_application_is():
    assert moves.application_move("submit", "submitted").reason == (
        "This application has been sent to the council."
    )


@pytest.mark.parametrize(
    ("phase", "allowed", "words"),
    [
        ("open", True, ""),
        ("closed", False, "closed for applications at 5pm on Friday 12 June 2026"),
        ("scheduled", False, "opens for applications at 9am on Friday 1 May 2026"),
        ("withdrawn", False, "not open"),
        ("draft", False, "not open"),
    ],
)
def test_only_an_open_round_takes_applications(phase, allowed, words):
    decision = moves.accepting(phase, opens_at=OPENS, closes_at=CLOSES)
    assert bool(decision) is allowed
    assert words in decision.reason


@pytest.mark.parametrize(
    ("known", "claimed", "used"),
    [(5000, None, 5000), (5000, 100, 5000), (None, 4000, 4000), (None, None, None)],
)
def test_the_councils_own_figure_wins_over_the_applicants(known, claimed, used):
    assert moves.community_size(known=known, claimed=claimed) == used


CRITERIA = [
    ("Based in Leicester", "based_in_area"),
    ("Activities mainly in Leicester", ""),
    ("A community of more than 1% of the city", "community_size"),
]


@pytest.mark.parametrize(
    ("postcode", "size", "results"),
    [
        ("LE1 6ZG", 5000, [True, True]),
        ("LE8 1AA", 5000, [False, True]),
        ("LE1 6ZG", 3298, [True, False]),  # exactly 1% is not more than 1%
        ("LE1 6ZG", 3299, [True, True]),
        ("", None, [False, False]),
    ],
)
def test_the_service_checks_its_own_must_haves(postcode, size, results):
    checked = moves.automatic_must_haves(
        CRITERIA, postcode=postcode, area_table=TABLE, area_name="Leicester", size=size, city=CITY
    )
    assert [c.title for c in checked] == [CRITERIA[0][0], CRITERIA[2][0]]
    assert [bool(c.decision) for c in checked] == results


def test_only_the_postcode_must_have_needs_no_answer():
    assert not moves.needs_answer("based_in_area")
    assert moves.needs_answer("community_size")
    assert moves.needs_answer("")


def _facts(**overrides):
    values = {
        "status": "draft",
        "unanswered": (),
        "missing_evidence": (),
        "must_haves": (moves.CheckedMustHave("Based in Leicester", Decision(True, "In.")),),
        "members_waiting": (),
        "members_declined": (),
    }
    values.update(overrides)
    return moves.ApplicationFacts(**values)


def test_a_complete_application_meeting_the_must_haves_may_be_sent():
    assert moves.submission_problems(_facts()) == []


def test_everything_that_stops_sending_is_said_in_words():
    failed = moves.CheckedMustHave(
        "A community of more than 1% of the city",
        Decision(False, "The community of 295 people is not more than 1%."),
    )
    problems = moves.submission_problems(
        _facts(
            must_haves=(failed,),
            unanswered=("The need for representation",),
            missing_evidence=("Latest accounts",),
            members_waiting=("Sikh Welfare Trust",),
            members_declined=("Gurdwara Committee",),
        )
    )
    assert problems == [
        "A community of more than 1% of the city: The community of 295 people is not more "
        "than 1%. An application that does not meet every must-have cannot be sent.",
        "Answer the question: The need for representation",
        "Upload the latest accounts",
        "Sikh Welfare Trust has not yet confirmed it is part of the consortium. Every member "
        "must confirm before the application can be sent",
        "Gurdwara Committee declined to join the consortium. Remove it from the consortium to "
        "send the application",
    ]
