"""The pure rules of section B's rounds: no database."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from grants import rules
from grants.rules import CityPopulation, CriterionFacts, RoundFacts
from vcs_support.env import env_decimal

LEICESTER_2011 = CityPopulation(total=329_839, source="the 2011 census", percent=Decimal("1"))
LONDON = rules.LONDON


# --------------------------------------------------------------- community size


def test_one_percent_of_leicester_in_2011_is_more_than_3298_people():
    assert LEICESTER_2011.threshold == 3298


@pytest.mark.parametrize(
    ("size", "allowed"), [(3299, True), (50_000, True), (3298, False), (0, False)]
)
def test_a_community_must_be_more_than_the_threshold(size, allowed):
    decision = rules.community_size_decision(size, LEICESTER_2011)
    assert decision.allowed is allowed
    assert "more than 1% of the city's population at the 2011 census" in decision.reason
    assert "(more than 3,298 people)" in decision.reason


def test_a_community_of_unknown_size_fails_and_says_so():
    decision = rules.community_size_decision(None, LEICESTER_2011)
    assert not decision
    assert decision.reason.startswith("The community's size is not known.")


@pytest.mark.parametrize(
    ("population", "percent", "threshold"),
    [(329_839, "1", 3298), (300_000, "1", 3000), (329_839, "0.5", 1649), (99, "1", 0)],
)
def test_the_threshold_is_the_whole_people_a_community_must_exceed(population, percent, threshold):
    assert rules.community_threshold(population, Decimal(percent)) == threshold


@given(
    size=st.integers(min_value=0, max_value=2_000_000),
    population=st.integers(min_value=1, max_value=2_000_000),
    percent=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10"), places=2),
)
def test_more_than_the_threshold_is_exactly_more_than_the_percentage(size, population, percent):
    """For whole people, beating the floored threshold is beating the exact share."""
    city = CityPopulation(total=population, source="a census", percent=percent)
    exact = Decimal(size) * 100 > Decimal(population) * percent
    assert bool(rules.community_size_decision(size, city)) is exact


# --------------------------------------------------------------- based in the area

AREA = {"LE1": True, "LE2": True, "LE2 4": False, "LE18": False}


@pytest.mark.parametrize(
    ("postcode", "allowed", "words"),
    [
        ("LE1 6ZG", True, "The registered postcode LE1 6ZG is in Leicester."),
        ("LE2 0DS", True, "is in Leicester"),
        ("LE2 4AB", False, "The registered postcode LE2 4AB is not in Leicester."),
        ("NG1 1AA", False, "is not in Leicester"),
        ("", False, "The organisation has no registered postcode."),
    ],
)
def test_based_in_the_area_is_read_from_the_registered_postcode(postcode, allowed, words):
    decision = rules.based_in_area_decision(postcode, AREA, "Leicester")
    assert decision.allowed is allowed
    assert words in decision.reason


# --------------------------------------------------------------- times


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("9am", time(9)),
        ("9 AM", time(9)),
        ("5:30pm", time(17, 30)),
        ("5.30pm", time(17, 30)),
        ("17:30", time(17, 30)),
        ("0:00", time(0)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("midday", time(12)),
        ("Midnight", time(0)),
    ],
)
def test_times_are_read_as_people_type_them(typed, meant):
    assert rules.parse_time(typed) == meant


@pytest.mark.parametrize("typed", ["", "25:00", "13pm", "0am", "9:60", "nine", "9:5", "9am pm"])
def test_what_is_not_a_time_is_refused(typed):
    assert rules.parse_time(typed) is None


@pytest.mark.parametrize(
    ("at", "words"),
    [(time(9), "9am"), (time(17, 30), "5:30pm"), (time(12), "midday"), (time(0), "midnight")],
)
def test_times_read_the_gov_uk_way(at, words):
    assert rules.time_words(at) == words


@given(st.times().map(lambda t: t.replace(second=0, microsecond=0)))
def test_a_time_in_words_reads_back_as_itself(at):
    assert rules.parse_time(rules.time_words(at)) == at


def test_a_time_in_summer_is_british_summer_time():
    moment = rules.london_datetime(date(2026, 6, 12), time(17))
    assert moment.astimezone(UTC) == datetime(2026, 6, 12, 16, tzinfo=UTC)
    assert rules.when_words(moment) == "5pm on Friday 12 June 2026"


def test_a_time_in_winter_is_greenwich_mean_time():
    moment = rules.london_datetime(date(2026, 1, 9), time(9))
    assert moment.astimezone(UTC) == datetime(2026, 1, 9, 9, tzinfo=UTC)


def test_an_hour_the_clocks_skip_is_refused():
    with pytest.raises(rules.NoSuchTime, match="the clocks go forward"):
        rules.london_datetime(date(2026, 3, 29), time(1, 30))


def test_the_hour_that_happens_twice_is_the_first_one():
    moment = rules.london_datetime(date(2026, 10, 25), time(1, 30))
    assert moment.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_midnight_says_which_day_it_starts():
    moment = rules.london_datetime(date(2026, 5, 1), time(0))
    assert rules.when_words(moment) == "midnight at the start of Friday 1 May 2026"


# --------------------------------------------------------------- the round's life

OPENS = datetime(2026, 5, 1, 8, tzinfo=UTC)
CLOSES = datetime(2026, 6, 1, 16, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "now", "phase"),
    [
        ("draft", OPENS, "draft"),
        ("withdrawn", OPENS, "withdrawn"),
        ("published", OPENS - timedelta(seconds=1), "scheduled"),
        ("published", OPENS, "open"),
        ("published", CLOSES - timedelta(seconds=1), "open"),
        ("published", CLOSES, "closed"),
    ],
)
def test_a_published_rounds_phase_follows_its_dates(status, now, phase):
    assert rules.round_phase(status=status, opens_at=OPENS, closes_at=CLOSES, now=now) == phase


@pytest.mark.parametrize(
    ("verb", "status", "now", "allowed"),
    [
        ("publish", "draft", OPENS, True),
        ("publish", "published", OPENS, False),
        ("publish", "withdrawn", OPENS, False),
        ("return_to_draft", "published", OPENS - timedelta(minutes=1), True),
        ("return_to_draft", "published", OPENS, False),
        ("return_to_draft", "draft", OPENS - timedelta(days=1), False),
        ("withdraw", "draft", OPENS, True),
        ("withdraw", "published", CLOSES, True),
        ("withdraw", "withdrawn", OPENS, False),
    ],
)
def test_the_moves_are_the_table_s(verb, status, now, allowed):
    assert bool(rules.round_move(verb, status=status, opens_at=OPENS, now=now)) is allowed


def test_an_open_round_cannot_go_back_to_draft_and_it_says_why():
    decision = rules.round_move("return_to_draft", status="published", opens_at=OPENS, now=CLOSES)
    assert decision.reason.startswith("This round opened for applications on 9am on Friday")
    assert "Withdraw it instead" in decision.reason


def test_a_refused_move_names_the_state():
    decision = rules.round_move("publish", status="withdrawn", opens_at=OPENS, now=OPENS)
    assert decision.reason == "This round has been withdrawn."


# --------------------------------------------------------------- instalments


def test_quarterly_instalments_over_a_year():
    paid = rules.instalments(
        Decimal("12000"), start=date(2026, 4, 1), end=date(2027, 3, 31), schedule="quarterly"
    )
    assert [i.due_on for i in paid] == [
        date(2026, 4, 1),
        date(2026, 7, 1),
        date(2026, 10, 1),
        date(2027, 1, 1),
    ]
    assert {i.amount for i in paid} == {Decimal("3000")}


def test_the_pennies_left_over_go_to_the_first_instalments():
    paid = rules.instalments(
        Decimal("100.00"), start=date(2026, 4, 1), end=date(2027, 3, 31), schedule="quarterly"
    )
    assert [i.amount for i in paid] == [Decimal("25")] * 4
    paid = rules.instalments(
        Decimal("100.01"), start=date(2026, 1, 31), end=date(2026, 4, 30), schedule="monthly"
    )
    assert [i.due_on for i in paid] == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
    assert [i.amount for i in paid] == [Decimal("33.34"), Decimal("33.34"), Decimal("33.33")]


def test_a_single_payment_is_at_the_start():
    paid = rules.instalments(
        Decimal("5000"), start=date(2026, 4, 1), end=date(2028, 3, 31), schedule="single"
    )
    assert paid == [rules.Instalment(date(2026, 4, 1), Decimal("5000"))]


@given(
    pennies=st.integers(min_value=100, max_value=10**9),
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    days=st.integers(min_value=1, max_value=5 * 366),
    schedule=st.sampled_from(sorted(rules.SCHEDULE_MONTHS)),
)
def test_instalments_add_up_to_the_award_and_fall_in_the_period(pennies, start, days, schedule):
    amount = Decimal(pennies) / 100
    end = start + timedelta(days=days)
    paid = rules.instalments(amount, start=start, end=end, schedule=schedule)
    assert sum(i.amount for i in paid) == amount
    assert paid[0].due_on == start
    assert all(start <= i.due_on < end for i in paid)
    assert [i.due_on for i in paid] == sorted({i.due_on for i in paid})
    amounts = [i.amount for i in paid]
    assert max(amounts) - min(amounts) <= Decimal("0.01")


# --------------------------------------------------------------- checks before publishing


def facts(**overrides) -> RoundFacts:
    values = {
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "total": Decimal("60000"),
        "amount_per_community": Decimal("12000"),
        "period_starts_on": date(2026, 9, 1),
        "period_ends_on": date(2027, 8, 31),
        "strand_amount": Decimal("150000"),
        "strand_name": "the community cohesion representation strand for 2026/27",
        "communities": 5,
        "criteria": (
            CriterionFacts("Based in Leicester", "must_have", None),
            CriterionFacts("Support of the majority", "scored", 2),
        ),
        "scale": {score: f"Score {score}" for score in rules.SCALE},
    }
    values.update(overrides)
    return RoundFacts(**values)


def messages(found):
    return [(p.section, p.message) for p in found]


def test_a_complete_round_may_be_published():
    assert rules.publish_problems(facts(), now=OPENS) == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"closes_at": OPENS},
            ("details", "The round must close after it opens"),
        ),
        (
            {"amount_per_community": Decimal("70000")},
            (
                "details",
                "The amount for each community must be no more than the total, £60,000.00",
            ),
        ),
        (
            {"period_starts_on": date(2026, 6, 1)},
            (
                "details",
                "The grant period must start after the round closes, on 2 June 2026 or later",
            ),
        ),
        (
            {"period_ends_on": date(2026, 9, 1)},
            ("details", "The grant period must end after it starts"),
        ),
        (
            {"total": Decimal("200000")},
            (
                "details",
                "The total, £200,000.00, is more than the whole of the community cohesion "
                "representation strand for 2026/27, £150,000.00",
            ),
        ),
        (
            {"communities": 0},
            ("communities", "Choose at least one community to open for applications"),
        ),
        (
            {"communities": 6},
            (
                "communities",
                "£12,000.00 for each of 6 communities is £72,000.00, more than the total of "
                "£60,000.00. Lower the amount for each community, raise the total or open "
                "fewer communities",
            ),
        ),
        (
            {"criteria": (CriterionFacts("Based in Leicester", "must_have", None),)},
            (
                "criteria",
                "Add at least one scored criterion: applications are ranked on their scores",
            ),
        ),
        (
            {
                "criteria": (
                    CriterionFacts("Support", "scored", 1),
                    CriterionFacts("Make-up", "scored", 0),
                )
            },
            ("criteria", "Give Make-up a weight of 1 or more"),
        ),
        (
            {"scale": {0: "None", 1: "Weak", 2: " ", 3: "Good"}},
            ("scale", "Describe what a score of 2, 4 means"),
        ),
    ],
)
def test_each_problem_stops_publishing_with_its_message(overrides, expected):
    assert expected in messages(rules.publish_problems(facts(**overrides), now=OPENS))


def test_a_round_whose_closing_time_has_passed_cannot_be_published():
    found = messages(rules.publish_problems(facts(), now=CLOSES))
    assert found == [("details", "The closing time has passed: change it to a time in the future")]


@pytest.mark.parametrize(("total", "field"), [("0", "total"), ("-1", "total")])
def test_amounts_must_be_positive(total, field):
    found = rules.round_details_problems(
        opens_at=OPENS,
        closes_at=CLOSES,
        total=Decimal(total),
        amount_per_community=Decimal("0"),
        period_starts_on=date(2026, 9, 1),
        period_ends_on=date(2027, 8, 31),
    )
    assert found[field] == "The total must be more than £0"
    assert found["amount_per_community"] == "The amount for each community must be more than £0"


@pytest.mark.parametrize(("raw", "value"), [("1", Decimal("1")), (" 0.5 ", Decimal("0.5"))])
def test_the_threshold_setting_is_read_as_a_decimal(monkeypatch, raw, value):
    monkeypatch.setenv("GRANTS_COMMUNITY_THRESHOLD_PERCENT", raw)
    assert env_decimal("GRANTS_COMMUNITY_THRESHOLD_PERCENT", "1") == value


@pytest.mark.parametrize("raw", ["one", "1,5", "NaN", "inf", ""])
def test_a_threshold_that_is_not_a_number_stops_the_service(monkeypatch, raw):
    monkeypatch.setenv("GRANTS_COMMUNITY_THRESHOLD_PERCENT", raw)
    with pytest.raises(ImproperlyConfigured, match="must be a number, like 1 or 0.5"):
        env_decimal("GRANTS_COMMUNITY_THRESHOLD_PERCENT", "1")
