"""The appeal's pure rules: the day the applicant was told, the window in working days
(bank holidays and the managers' days off skipped), who may appeal and review, and the
messages. No database."""

from datetime import UTC, date, datetime

import pytest

from grants import appeal_rules as rules
from notifications.calendar import BANK_HOLIDAYS, DaysOff
from notifications.rules import WORKING_DAYS, DeadlineRule, Period


def window(days=10, holidays=BANK_HOLIDAYS):
    return DeadlineRule("grant_appeal", "Appeal", Period(days, WORKING_DAYS), None, holidays)


# --------------------------------------------------------------- the day it was told


def test_an_accepted_award_tells_the_others_on_the_day_it_was_accepted_in_london():
    # 23:30 UTC on 31 March 2026 is 00:30 on 1 April in London (summer time).
    decided = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
    accepted = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    assert rules.told_on("accepted", decided_at=decided, responded_at=accepted) == date(2026, 4, 1)


def test_no_award_tells_them_on_the_day_it_was_decided():
    decided = datetime(2026, 6, 3, 15, 0, tzinfo=UTC)
    assert rules.told_on("no_award", decided_at=decided, responded_at=None) == date(2026, 6, 3)


@pytest.mark.parametrize("outcome", ["offered", "declined"])
def test_an_offer_is_not_a_final_decision(outcome):
    with pytest.raises(ValueError):
        rules.told_on(outcome, decided_at=datetime(2026, 6, 3, tzinfo=UTC), responded_at=None)


# --------------------------------------------------------------- the window


@pytest.mark.parametrize(
    "told, due",
    [
        # A plain fortnight: Monday to the Monday two weeks on.
        (date(2026, 6, 1), date(2026, 6, 15)),
        # Christmas, Boxing Day and New Year's Day 2025-26 are skipped.
        (date(2025, 12, 19), date(2026, 1, 7)),
        # Good Friday (3 April 2026) and Easter Monday (6 April) are skipped.
        (date(2026, 4, 2), date(2026, 4, 20)),
        # Told on a Saturday: counting starts on the Monday.
        (date(2026, 6, 6), date(2026, 6, 19)),
    ],
)
def test_the_window_counts_working_days_skipping_bank_holidays(told, due):
    assert rules.appeal_due_on(told, window()) == due


def test_a_day_off_the_managers_added_stretches_the_window():
    extra = DaysOff(extra=frozenset({date(2026, 1, 5)}))
    assert rules.appeal_due_on(date(2025, 12, 19), window(holidays=extra)) == date(2026, 1, 8)


def test_the_managers_period_is_the_one_counted():
    assert rules.appeal_due_on(date(2026, 6, 1), window(days=5)) == date(2026, 6, 8)


def facts(**overrides):
    values = {
        "is_admin": True,
        "sent": True,
        "final": "accepted",
        "awarded_to_this": False,
        "already_appealed": False,
        "due_on": date(2026, 6, 15),
    }
    values.update(overrides)
    return rules.AppealFacts(**values)


def test_an_unsuccessful_applicant_may_appeal_up_to_and_including_the_last_day():
    assert rules.may_appeal(facts(), date(2026, 6, 1))
    assert rules.may_appeal(facts(), date(2026, 6, 15))
    late = rules.may_appeal(facts(), date(2026, 6, 16))
    assert not late
    assert late.reason == (
        "The time to appeal ended on 15 June 2026. Appeals are not accepted after that date."
    )


@pytest.mark.parametrize(
    "overrides, reason",
    [
        ({"sent": False}, "Only an application that was sent, and not withdrawn, can appeal."),
        (
            {"final": None, "due_on": None},
            "You can appeal once the decision for your community is final.",
        ),
        (
            {"awarded_to_this": True},
            "Your application was successful, so there is nothing to appeal.",
        ),
        (
            {"already_appealed": True},
            "Your organisation has already appealed this decision. An application can be "
            "appealed once.",
        ),
        (
            {"is_admin": False},
            "Only an administrator of your organisation can appeal, by 15 June 2026.",
        ),
    ],
)
def test_who_may_not_appeal_is_told_why(overrides, reason):
    decision = rules.may_appeal(facts(**overrides), date(2026, 6, 1))
    assert not decision
    assert decision.reason == reason


def test_a_second_appeal_is_refused_as_such_even_after_the_window():
    decision = rules.may_appeal(facts(already_appealed=True), date(2026, 7, 1))
    assert "already appealed" in decision.reason


# --------------------------------------------------------------- the grounds


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "Enter the grounds for your appeal"),
        ("   \n ", "Enter the grounds for your appeal"),
        ("word " * 501, "The grounds must be 500 words or fewer"),
        ("word " * 500, None),
        ("The panel did not read our letters.", None),
    ],
)
def test_the_grounds_are_required_and_at_most_500_words(text, problem):
    assert rules.grounds_problem(text) == problem


# --------------------------------------------------------------- reviewing


@pytest.mark.parametrize(
    "involved, reason",
    [
        ({"is_manager": False}, "Only a manager can review an appeal."),
        ({"on_panel": True}, "You were on the round's assessment panel"),
        ({"decided": True}, "You made a decision for this community"),
        ({"moderated": True}, "You moderated scores for this community"),
    ],
)
def test_only_a_manager_who_took_no_part_may_review(involved, reason):
    values = {"is_manager": True, "on_panel": False, "decided": False, "moderated": False}
    decision = rules.reviewer_decision(**{**values, **involved})
    assert not decision
    assert decision.reason.startswith(reason)
    assert rules.reviewer_decision(**values)


def test_the_refusal_says_who_must_review_instead():
    decision = rules.reviewer_decision(
        is_manager=True, on_panel=False, decided=True, moderated=False
    )
    assert decision.reason == (
        "You made a decision for this community, so you cannot review this appeal. A manager "
        "who took no part in assessing or deciding it must review it."
    )


def test_an_appeal_is_reviewed_once():
    assert rules.appeal_move("uphold", rules.WAITING)
    assert rules.appeal_move("not_uphold", rules.WAITING)
    again = rules.appeal_move("not_uphold", rules.UPHELD, reviewed_by="Rosa Reviewer")
    assert not again
    assert again.reason == (
        "This appeal has already been reviewed by Rosa Reviewer: upheld. Nothing was changed."
    )
    assert rules.appeal_state("") == rules.WAITING
    assert rules.appeal_state("not_upheld") == rules.NOT_UPHELD


@pytest.mark.parametrize(
    "outcome, reasons, problems",
    [
        ("upheld", "The letters were not read.", {}),
        ("", "Reasons.", {"outcome": "Select whether the appeal is upheld or not upheld"}),
        ("reopened", "Reasons.", {"outcome": "Select whether the appeal is upheld or not upheld"}),
        ("not_upheld", "  ", {"reasons": "Enter the reasons for the outcome"}),
        ("upheld", "word " * 1001, {"reasons": "The reasons must be 1,000 words or fewer"}),
    ],
)
def test_a_review_needs_an_outcome_and_its_reasons(outcome, reasons, problems):
    assert rules.review_problems(outcome, reasons) == problems
