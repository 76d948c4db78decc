"""Pure decisions: whether a provider can take a package, lapse, word limits, moves."""

from datetime import date
from decimal import Decimal

import pytest

from providers.rules import (
    APPLICATION_TRANSITIONS,
    application_move,
    certificate_problems,
    expiry_warning,
    in_force,
    insurance_lapsed,
    provider_can_take,
    word_count,
    word_limit_problem,
)

OK = {"approved": True, "lapsed": False, "linked": False, "active": 1, "capacity": 3}


def test_an_approved_insured_unlinked_provider_with_room_can_take_the_package():
    decision = provider_can_take(**OK)
    assert decision.allowed
    assert decision.reason == ""


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"approved": False}, "is not approved to deliver this package"),
        ({"lapsed": True}, "approval has lapsed because one of its insurance certificates"),
        ({"linked": True}, "it is linked to your organisation"),
        ({"active": 3}, "at full capacity: it is delivering 3 packages and can take 3 at once"),
        ({"active": 4}, "at full capacity"),
        ({"active": 1, "capacity": 1}, "delivering 1 package and can take 1 at once"),
    ],
)
def test_each_failure_has_its_own_reason(change, reason):
    decision = provider_can_take(**{**OK, **change})
    assert not decision.allowed
    assert reason in decision.reason


def test_the_first_failure_found_is_the_one_reported():
    decision = provider_can_take(approved=False, lapsed=True, linked=True, active=9, capacity=1)
    assert "not approved" in decision.reason


@pytest.mark.parametrize(
    ("expires_on", "on", "expected"),
    [
        (date(2026, 6, 1), date(2026, 6, 1), True),  # covers its last day
        (date(2026, 6, 1), date(2026, 6, 2), False),
        (None, date(2026, 6, 1), False),
    ],
)
def test_a_certificate_is_in_force_to_the_end_of_its_last_day(expires_on, on, expected):
    assert in_force(expires_on, on) is expected


def test_lapse_is_computed_from_the_required_certificates_dates():
    expiries = {"pi": date(2027, 1, 1), "pl": date(2026, 3, 31)}
    on = date(2026, 4, 1)
    assert insurance_lapsed(expiries=expiries, required=("pi", "pl"), on=on)
    assert not insurance_lapsed(expiries=expiries, required=("pi",), on=on)
    assert not insurance_lapsed(expiries=expiries, required=("pi", "pl"), on=date(2026, 3, 31))
    # A missing required certificate lapses too (employer's liability for an employer).
    assert insurance_lapsed(expiries=expiries, required=("pi", "el"), on=date(2026, 1, 1))


@pytest.mark.parametrize(
    ("expires_on", "expected"),
    [(date(2026, 5, 31), "expired"), (date(2026, 7, 1), "expiring"), (date(2026, 7, 2), "")],
)
def test_expiry_warning_within_30_days(expires_on, expected):
    assert expiry_warning(expires_on, date(2026, 6, 1)) == expected


def test_certificate_problems_name_the_field_and_the_minimum():
    problems = certificate_problems(
        name="public liability insurance",
        cover=Decimal("100"),
        expires_on=date(2026, 6, 1),
        minimum=Decimal(5_000_000),
        today=date(2026, 6, 1),
    )
    assert problems["cover"].startswith("The cover must be at least £5,000,000")
    assert "must be in the future" in problems["expires_on"]
    assert (
        certificate_problems(
            name="x",
            cover=Decimal(5_000_000),
            expires_on=date(2026, 6, 2),
            minimum=Decimal(5_000_000),
            today=date(2026, 6, 1),
        )
        == {}
    )


def test_word_limit():
    assert word_count("  one two\nthree ") == 3
    assert word_limit_problem("word " * 300, what="your approach") is None
    assert word_limit_problem("word " * 302, what="your approach") == (
        "Your approach must be 300 words or fewer. You have 302 words: remove 2 words"
    )
    assert word_limit_problem("w " * 301, what="x").endswith("remove 1 word")


ALL_STATES = ["draft", "submitted", "more_info", "approved", "rejected", "suspended", "removed"]


@pytest.mark.parametrize("verb", sorted(APPLICATION_TRANSITIONS))
@pytest.mark.parametrize("status", ALL_STATES)
def test_moves_are_allowed_only_from_their_sources(verb, status):
    sources, _ = APPLICATION_TRANSITIONS[verb]
    decision = application_move(status, verb)
    assert decision.allowed is (status in sources)
    if not decision.allowed:
        assert decision.reason.startswith("This application ")


def test_the_lifecycle_the_brief_describes():
    assert APPLICATION_TRANSITIONS["submit"] == (("draft",), "submitted")
    assert APPLICATION_TRANSITIONS["resubmit"] == (("more_info",), "submitted")
    assert APPLICATION_TRANSITIONS["remove"] == (("approved", "suspended"), "removed")
    assert APPLICATION_TRANSITIONS["reinstate"] == (("suspended",), "approved")
    # rejected and removed are ends: nothing moves out of them
    assert not any(
        s in ("rejected", "removed") for src, _ in APPLICATION_TRANSITIONS.values() for s in src
    )
