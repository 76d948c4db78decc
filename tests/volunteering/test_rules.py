"""The pure rules of volunteering opportunities: moves as data, closing, what must be filled
in (field by field), who may take part, and when one lapses soon. No database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from volunteering import rules

TODAY = date(2026, 6, 2)
AREA = {"LE1": True, "LE2": True, "LE2 4": False}


def complete(**changes) -> dict:
    """An opportunity's fields that a broker could publish, with `changes`."""
    fields = {
        "title": "Befriender for older people",
        "description": "Visit an older person once a week for a chat.",
        "skills_wanted": "",
        "skills_gained": "Listening",
        "theme": object(),
        "remote": False,
        "venue_postcode": "LE1 6ZG",
        "schedule": rules.REGULAR,
        "one_off_date": None,
        "hours_a_week": Decimal("2"),
        "starts_on": None,
        "ends_on": TODAY + timedelta(days=30),
        "places": 3,
        "minimum_age": 18,
        "suitable_for_under_18": False,
        "safeguarding_policy": False,
        "dbs_needed": True,
        "accessibility": "",
        "expenses_paid": True,
    }
    return fields | changes


def problems(fields, complete_=True):
    return rules.opportunity_problems(
        fields, TODAY, area=AREA, area_name="Leicester", complete=complete_
    )


# --------------------------------------------------------------- moves


@pytest.mark.parametrize(
    ("status", "to", "allowed"),
    [
        ("draft", "submitted", True),
        ("draft", "published", False),
        ("draft", "closed", True),
        ("submitted", "published", True),
        ("submitted", "changes_requested", True),
        ("submitted", "closed", False),
        ("submitted", "draft", False),
        ("changes_requested", "submitted", True),
        ("changes_requested", "published", False),
        ("changes_requested", "closed", True),
        ("published", "closed", True),
        ("published", "submitted", False),
        ("published", "published", False),
        ("closed", "published", False),
        ("closed", "draft", False),
    ],
)
def test_the_moves_are_the_table(status, to, allowed):
    decision = rules.may_move(status, to)
    assert bool(decision) is allowed
    assert decision.reason.endswith("Nothing was changed.") is not allowed


def test_a_refused_move_says_where_the_opportunity_is():
    assert rules.may_move("published", "published").reason == (
        "This opportunity is already published. Nothing was changed."
    )
    assert "has closed" in rules.may_move("closed", "submitted").reason


@pytest.mark.parametrize(
    ("status", "reason", "ends_on", "allowed", "says"),
    [
        ("published", "filled", TODAY + timedelta(days=3), True, ""),
        ("published", "withdrawn", TODAY + timedelta(days=3), True, ""),
        ("published", "lapsed", TODAY - timedelta(days=1), True, ""),
        # On its closing date it is still open: it lapses the day after.
        ("published", "lapsed", TODAY, False, "has not reached its closing date"),
        ("published", "lapsed", None, False, "has not reached its closing date"),
        ("draft", "withdrawn", None, True, ""),
        ("changes_requested", "withdrawn", None, True, ""),
        ("draft", "filled", None, False, "Only a published opportunity"),
        ("changes_requested", "lapsed", TODAY - timedelta(days=9), False, "Only a published"),
        ("submitted", "withdrawn", None, False, "waiting for the volunteer centre"),
        ("closed", "filled", None, False, "has closed"),
        ("published", "bored", None, False, "Select why"),
    ],
)
def test_how_an_opportunity_may_close(status, reason, ends_on, allowed, says):
    decision = rules.may_close(status=status, reason=reason, ends_on=ends_on, today=TODAY)
    assert bool(decision) is allowed
    assert says in decision.reason


def test_every_close_reason_leaves_from_a_state_that_may_close():
    for status in rules.CLOSE_REASONS:
        assert rules.CLOSED in rules.OPPORTUNITY_TRANSITIONS[status]


# --------------------------------------------------------------- what must be filled in


def test_a_complete_opportunity_has_no_problems():
    assert problems(complete()) == {}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", "Enter a title for the opportunity"),
        ({"title": "x" * 121}, "title", "The title must be 120 characters or fewer"),
        ({"description": ""}, "description", "Enter what the volunteer will do"),
        ({"theme": None}, "theme", "Select a priority theme"),
        (
            {"venue_postcode": ""},
            "venue_postcode",
            "Enter the postcode of the venue, or say the role can be done remotely",
        ),
        ({"venue_postcode": "LE"}, "venue_postcode", "Enter a real postcode, like LE1 6ZG"),
        (
            {"venue_postcode": "le2 4ab"},
            "venue_postcode",
            "LE2 4AB is not in Leicester. Enter a postcode in Leicester, or say the role can "
            "be done remotely",
        ),
        ({"schedule": ""}, "schedule", "Select when the volunteer is needed"),
        ({"schedule": "weekly"}, "schedule", "Select when the volunteer is needed"),
        ({"hours_a_week": None}, "hours_a_week", "Enter the hours a week"),
        ({"hours_a_week": Decimal("0.4")}, "hours_a_week", "between 0.5 and 40"),
        ({"hours_a_week": Decimal("40.1")}, "hours_a_week", "between 0.5 and 40"),
        ({"hours_a_week": "lots"}, "hours_a_week", "between 0.5 and 40"),
        ({"hours_a_week": "NaN"}, "hours_a_week", "between 0.5 and 40"),
        ({"hours_a_week": Decimal("2.25")}, "hours_a_week", "to one decimal place, like 2.5"),
        (
            {"schedule": "one_off", "hours_a_week": None},
            "one_off_date",
            "Enter the date of the opportunity",
        ),
        (
            {"schedule": "one_off", "one_off_date": TODAY - timedelta(days=1)},
            "one_off_date",
            "The date of the opportunity must be today or in the future",
        ),
        (
            # Closing (TODAY + 30) after the day itself (TODAY + 20): too late to take part.
            {
                "schedule": "one_off",
                "one_off_date": TODAY + timedelta(days=20),
                "hours_a_week": None,
            },
            "ends_on",
            "The closing date must be on or before the date of the opportunity",
        ),
        ({"ends_on": None}, "ends_on", "Enter the date the opportunity closes"),
        (
            {"ends_on": TODAY - timedelta(days=1)},
            "ends_on",
            "The closing date must be today or in the future",
        ),
        (
            {"starts_on": TODAY + timedelta(days=30)},
            "ends_on",
            "The closing date must be after the start date",
        ),
        ({"places": None}, "places", "Enter how many volunteers you need"),
        ({"places": 0}, "places", "between 1 and 999"),
        ({"places": 1000}, "places", "between 1 and 999"),
        ({"minimum_age": None}, "minimum_age", "Select the minimum age"),
        ({"minimum_age": 15}, "minimum_age", "Select a minimum age of 16, 17 or 18"),
        ({"minimum_age": 19}, "minimum_age", "Select a minimum age of 16, 17 or 18"),
        (
            {"minimum_age": 16, "safeguarding_policy": True},
            "suitable_for_under_18",
            "Say the role is suitable for 16 and 17 year olds, or set the minimum age to 18",
        ),
        (
            {"minimum_age": 17, "suitable_for_under_18": True},
            "safeguarding_policy",
            "Confirm your organisation has a safeguarding policy, or set the minimum age to 18",
        ),
    ],
)
def test_each_problem_is_on_its_field_in_govuk_words(changes, field, message):
    found = problems(complete(**changes))
    assert message in found[field]
    assert set(found) == {field}


@pytest.mark.parametrize(
    "changes",
    [
        {"hours_a_week": Decimal("0.5")},
        {"hours_a_week": Decimal("40")},
        {"hours_a_week": "7.5"},
        {"ends_on": TODAY},
        {"starts_on": TODAY, "ends_on": TODAY + timedelta(days=1)},
        {"schedule": "one_off", "one_off_date": TODAY, "ends_on": TODAY, "hours_a_week": None},
        # Closing (TODAY + 30) ten days before the day itself.
        {"schedule": "one_off", "one_off_date": TODAY + timedelta(days=40), "hours_a_week": None},
        {"schedule": "flexible", "hours_a_week": None},
        {"remote": True, "venue_postcode": ""},
        {"venue_postcode": "le1 6zg"},
        {"venue_postcode": "LE2 5AA"},  # LE2 is in; only its sector 4 is out
        {"places": 1},
        {"places": 999},
        {"minimum_age": 16, "suitable_for_under_18": True, "safeguarding_policy": True},
        {"minimum_age": 17, "suitable_for_under_18": True, "safeguarding_policy": True},
    ],
)
def test_the_boundaries_are_allowed(changes):
    assert problems(complete(**changes)) == {}


@pytest.mark.parametrize(
    ("closes", "refused"),
    [(-1, False), (0, False), (1, True)],  # days from the one-off date to the closing date
)
def test_a_one_off_opportunity_closes_on_or_before_its_day_never_after(closes, refused):
    day = TODAY + timedelta(days=20)
    fields = complete(schedule="one_off", one_off_date=day, ends_on=day + timedelta(days=closes))
    for complete_ in (True, False):  # a draft is refused too: the dates contradict each other
        found = problems(fields, complete_=complete_)
        assert found == (
            {"ends_on": "The closing date must be on or before the date of the opportunity"}
            if refused
            else {}
        )


def test_a_draft_needs_only_a_title_and_what_it_has_to_be_valid():
    assert problems({"title": "Gardener"}, complete_=False) == {}
    assert problems({"title": ""}, complete_=False) == {
        "title": "Enter a title for the opportunity"
    }
    # A draft's closing date may be in the past (it is checked on submitting)...
    assert problems({"title": "G", "ends_on": TODAY - timedelta(days=3)}, complete_=False) == {}
    # ...and under-18s are asked about on submitting, but what is there must make sense.
    assert problems({"title": "G", "minimum_age": 16}, complete_=False) == {}
    assert set(
        problems(
            {
                "title": "G",
                "schedule": "regular",
                "hours_a_week": Decimal("41"),
                "venue_postcode": "LE2 4AB",
                "starts_on": TODAY,
                "ends_on": TODAY,
                "places": 0,
                "minimum_age": 21,
            },
            complete_=False,
        )
    ) == {"hours_a_week", "venue_postcode", "ends_on", "places", "minimum_age"}


# --------------------------------------------------------------- who may take part


def eligible(age, **kwargs):
    opportunity = {
        "opportunity_minimum_age": 16,
        "suitable_for_under_18": True,
        "dbs_needed": False,
        "status": "published",
        "ends_on": TODAY,
    } | kwargs
    return rules.eligibility(age=age, today=TODAY, **opportunity)


@pytest.mark.parametrize(
    ("age", "kwargs", "allowed", "says"),
    [
        (16, {}, True, ""),
        (15, {}, False, "You need to be 16 or over"),
        (14, {"opportunity_minimum_age": 14}, False, "You need to be 16 or over"),
        (16, {"opportunity_minimum_age": 17}, False, "aged 17 and over"),
        (17, {"opportunity_minimum_age": 17}, True, ""),
        (17, {"opportunity_minimum_age": 18}, False, "aged 18 and over"),
        # Not said to be suitable for under-18s: for adults, whatever the minimum says.
        (17, {"suitable_for_under_18": False}, False, "aged 18 and over"),
        (18, {"suitable_for_under_18": False}, True, ""),
        (None, {}, False, "Tell us your age"),
        (40, {"status": "closed"}, False, "This opportunity has closed"),
        (40, {"status": "submitted"}, False, "This opportunity has closed"),
        (40, {"ends_on": TODAY - timedelta(days=1)}, False, "This opportunity has closed"),
        (40, {"ends_on": None}, True, ""),
        (40, {"dbs_needed": True}, True, "needs a DBS check"),
    ],
)
def test_who_may_take_part(age, kwargs, allowed, says):
    decision = eligible(age, **kwargs)
    assert bool(decision) is allowed
    assert says in decision.reason
    if not allowed:
        assert decision.reason


def test_a_closed_opportunity_is_refused_before_the_age_is_asked():
    assert "closed" in eligible(None, status="closed").reason


# --------------------------------------------------------------- lapsing soon


@pytest.mark.parametrize(
    ("ends_in", "days", "soon"),
    [
        (None, 7, False),
        (-1, 7, False),  # already lapsed: closed instead of reminded
        (0, 7, True),
        (7, 7, True),
        (8, 7, False),
        (3, 2, False),
        (2, 2, True),
    ],
)
def test_lapses_soon(ends_in, days, soon):
    ends_on = None if ends_in is None else TODAY + timedelta(days=ends_in)
    assert rules.lapses_soon(ends_on, TODAY, days=days) is soon
