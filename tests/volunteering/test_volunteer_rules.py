"""The pure rules for volunteers: age bands and eligibility, the moves as data, logged
hours, "Suggested for you" with its reasons and order, and the inactivity job's step."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from volunteering import rules
from volunteering import volunteer_rules as vr

TODAY = date(2026, 6, 10)


def profile(**changes) -> vr.Profile:
    fields = {
        "age_band": "25-34",
        "district": "LE2",
        "interests": frozenset({7}),
        "skills": "Cooking, driving and spreadsheets",
        "hours_a_week": Decimal(4),
    }
    return vr.Profile(**(fields | changes))


def offer(**changes) -> vr.Offer:
    fields = {
        "theme_id": 9,
        "theme_name": "Health",
        "district": "NG1",
        "remote": False,
        "schedule": rules.ONE_OFF,
        "hours_a_week": None,
        "skills_wanted": "",
        "minimum_age": 18,
        "suitable_for_under_18": False,
        "dbs_needed": False,
        "status": rules.PUBLISHED,
        "ends_on": TODAY + timedelta(days=30),
    }
    return vr.Offer(**(fields | changes))


# --------------------------------------------------------------- age bands


def test_each_band_gives_its_youngest_age_and_an_unknown_band_none():
    assert vr.youngest_age("16-17") == 16
    assert vr.youngest_age("18-24") == 18
    assert vr.youngest_age("65+") == 65
    assert vr.youngest_age("12-15") is None


def test_an_under_18_may_take_a_role_suitable_for_under_18s():
    young = profile(age_band="16-17", interests=frozenset({9}))
    found = vr.suggestion(young, offer(minimum_age=16, suitable_for_under_18=True), TODAY)
    assert found is not None and found.score == 4


def test_an_under_18_is_never_suggested_an_adults_only_role():
    young = profile(age_band="16-17", interests=frozenset({9}))
    # A minimum age of 16 is not enough: a role not said to suit under-18s is for adults.
    assert vr.suggestion(young, offer(minimum_age=16), TODAY) is None
    assert vr.suggestion(young, offer(minimum_age=18, suitable_for_under_18=True), TODAY) is None
    adult = profile(age_band="18-24", interests=frozenset({9}))
    assert vr.suggestion(adult, offer(minimum_age=16), TODAY) is not None


def test_a_role_with_a_higher_minimum_age_is_judged_on_the_youngest_in_the_band():
    # 18-24 may be 18: a 21-and-over role is not for them; 25-34 always is.
    assert (
        vr.suggestion(profile(age_band="18-24"), offer(minimum_age=21, remote=True), TODAY) is None
    )
    assert vr.suggestion(profile(age_band="25-34"), offer(minimum_age=21, remote=True), TODAY)


def test_a_closed_or_lapsed_role_is_never_suggested():
    assert vr.suggestion(profile(), offer(status="closed", remote=True), TODAY) is None
    lapsed = offer(remote=True, ends_on=TODAY - timedelta(days=1))
    assert vr.suggestion(profile(), lapsed, TODAY) is None
    assert vr.suggestion(profile(), replace(lapsed, ends_on=TODAY), TODAY) is not None


# --------------------------------------------------------------- moves


@pytest.mark.parametrize(
    ("status", "to"),
    [
        ("sent", "talking"),
        ("sent", "accepted"),
        ("sent", "declined"),
        ("sent", "withdrawn"),
        ("talking", "accepted"),
        ("talking", "declined"),
        ("talking", "withdrawn"),
    ],
)
def test_an_undecided_interest_may_move(status, to):
    assert vr.may_move(vr.INTEREST_TRANSITIONS, status, to, "interest")


@pytest.mark.parametrize(
    ("status", "to"),
    [
        ("talking", "talking"),
        ("talking", "sent"),
        ("accepted", "declined"),
        ("accepted", "withdrawn"),
        ("declined", "accepted"),
        ("withdrawn", "accepted"),
        ("withdrawn", "withdrawn"),
    ],
)
def test_a_decided_interest_stays_as_it_is(status, to):
    decision = vr.may_move(vr.INTEREST_TRANSITIONS, status, to, "interest")
    assert not decision
    assert decision.reason.startswith("This interest ")
    assert decision.reason.endswith("so it cannot be changed now. Nothing was changed.")


def test_the_refusal_says_what_state_it_is_in():
    assert (
        "has been accepted"
        in vr.may_move(vr.INTEREST_TRANSITIONS, "accepted", "declined", "interest").reason
    )
    assert (
        "This placement has ended"
        in vr.may_move(vr.PLACEMENT_TRANSITIONS, "ended", "ended", "placement").reason
    )
    assert (
        "This entry has been confirmed"
        in vr.may_move(vr.HOURS_TRANSITIONS, "confirmed", "queried", "entry").reason
    )


def test_placements_end_once_and_hours_are_answered_once():
    assert vr.may_move(vr.PLACEMENT_TRANSITIONS, "active", "ended", "placement")
    assert not vr.may_move(vr.PLACEMENT_TRANSITIONS, "ended", "active", "placement")
    assert vr.may_move(vr.HOURS_TRANSITIONS, "logged", "confirmed", "entry")
    assert vr.may_move(vr.HOURS_TRANSITIONS, "logged", "queried", "entry")
    assert not vr.may_move(vr.HOURS_TRANSITIONS, "queried", "confirmed", "entry")
    assert not vr.may_move(vr.HOURS_TRANSITIONS, "confirmed", "queried", "entry")


def test_a_live_interest_is_an_open_one_or_an_accepted_one():
    assert set(vr.OPEN_INTEREST) == {"sent", "talking"}
    assert set(vr.LIVE_INTEREST) == {"sent", "talking", "accepted"}


# --------------------------------------------------------------- hours


def problems(on=TODAY, hours="2", already="0"):
    return vr.hours_problems(
        on=on,
        hours=None if hours is None else Decimal(hours),
        already_that_day=Decimal(already),
        today=TODAY,
    )


def test_hours_today_or_before_are_fine():
    assert problems() == {}
    assert problems(on=TODAY - timedelta(days=400), hours="24") == {}


def test_hours_in_the_future_are_refused_on_the_date():
    assert problems(on=TODAY + timedelta(days=1)) == {
        "on": "The date you volunteered must be today or in the past"
    }


def test_no_date_and_no_hours_each_say_what_to_enter():
    assert problems(on=None, hours=None) == {
        "on": "Enter the date you volunteered",
        "hours": "Enter how many hours you volunteered",
    }


@pytest.mark.parametrize("hours", ["0", "-1", "0.00"])
def test_zero_or_fewer_hours_are_refused(hours):
    assert problems(hours=hours) == {"hours": "Hours must be more than 0"}


def test_more_than_24_hours_in_one_entry_are_refused():
    assert problems(hours="24.25") == {"hours": "Hours must be 24 or fewer"}


def test_a_day_has_24_hours_across_every_role():
    assert problems(hours="4", already="20") == {}
    assert problems(hours="4.5", already="20") == {
        "hours": "A day has 24 hours. 20 hours are already logged for that day, so enter 4 or fewer"
    }
    assert problems(hours="1", already="23.5")["hours"].endswith(
        "23.5 hours are already logged for that day, so enter 0.5 or fewer"
    )
    # Already full: nothing left, never a negative number.
    assert problems(hours="0.25", already="24")["hours"].endswith("enter 0 or fewer")


def test_a_future_date_is_not_also_counted_against_the_day():
    assert problems(on=TODAY + timedelta(days=2), hours="10", already="20") == {
        "on": "The date you volunteered must be today or in the past"
    }


# --------------------------------------------------------------- suggested for you


def test_each_point_comes_with_its_reason_in_order():
    found = vr.suggestion(
        profile(interests=frozenset({9}), hours_a_week=Decimal(4)),
        offer(
            district="LE2",
            skills_wanted="Someone who enjoys cooking and driving",
            schedule=rules.REGULAR,
            hours_a_week=Decimal("2.5"),
        ),
        TODAY,
    )
    assert found.score == 4 + 3 + 2 + 1
    assert found.reasons == [
        "matches your interest in Health",
        "in LE2, your area",
        "it wants your skills: cooking, driving",
        "2.5 hours a week, within the time you can give",
    ]


def test_a_neighbouring_district_scores_one_and_a_remote_role_two():
    nearby = vr.suggestion(profile(district="LE2"), offer(district="LE11"), TODAY)
    assert (nearby.score, nearby.reasons) == (1, ["nearby, in LE11"])
    remote = vr.suggestion(profile(), offer(remote=True, district="LE2"), TODAY)
    assert (remote.score, remote.reasons) == (2, ["you can do it from home"])
    far = vr.suggestion(profile(), offer(district="NG1"), TODAY)
    assert (far.score, far.reasons) == (0, [])


def test_one_shared_skill_says_skill_and_at_most_two_count():
    one = vr.suggestion(profile(), offer(skills_wanted="Spreadsheets"), TODAY)
    assert (one.score, one.reasons) == (1, ["it wants your skill: spreadsheets"])
    many = vr.suggestion(profile(), offer(skills_wanted="cooking, driving, spreadsheets"), TODAY)
    assert many.score == 2


def test_short_words_are_not_skills():
    found = vr.suggestion(profile(skills="IT or a van"), offer(skills_wanted="IT, a van"), TODAY)
    assert found.reasons == ["it wants your skill: van"]


def test_common_words_are_not_skills():
    found = vr.suggestion(
        profile(skills="Cooking and the washing up, for the children"),
        offer(skills_wanted="Help with the lunch club and the garden, for an hour"),
        TODAY,
    )
    assert (found.score, found.reasons) == (0, [])


def test_a_regular_role_over_the_time_they_can_give_scores_nothing_for_time():
    over = offer(schedule=rules.REGULAR, hours_a_week=Decimal(5))
    assert vr.suggestion(profile(hours_a_week=Decimal(4)), over, TODAY).score == 0
    assert (
        vr.suggestion(
            profile(hours_a_week=None), replace(over, hours_a_week=Decimal(1)), TODAY
        ).score
        == 0
    )
    assert vr.suggestion(profile(hours_a_week=Decimal(5)), over, TODAY).score == 1


def test_a_flexible_role_says_so_without_a_point():
    found = vr.suggestion(profile(), offer(schedule=rules.FLEXIBLE), TODAY)
    assert (found.score, found.reasons) == (0, ["whenever suits you"])


def test_ranked_best_first_ties_to_the_one_closing_soonest_and_none_without_a_point():
    later = offer(remote=True, ends_on=TODAY + timedelta(days=60))
    sooner = offer(remote=True, ends_on=TODAY + timedelta(days=5))
    open_ended = offer(remote=True, ends_on=None)
    best = offer(theme_id=7, remote=True)
    nothing = offer()
    too_young = offer(theme_id=7, minimum_age=70)
    items = [
        ("later", later),
        ("open", open_ended),
        ("nothing", nothing),
        ("sooner", sooner),
        ("too young", too_young),
        ("best", best),
    ]
    found = vr.ranked(profile(), items, TODAY, limit=10)
    assert [item for item, _ in found] == ["best", "sooner", "later", "open"]
    assert found[0][1].score == 6
    assert [item for item, _ in vr.ranked(profile(), items, TODAY, limit=2)] == ["best", "sooner"]


# --------------------------------------------------------------- inactive accounts

NOW = datetime(2026, 6, 10, 9, tzinfo=UTC)
TWO_YEARS = timedelta(days=730)
MONTH = timedelta(days=30)


def step(last_active, warned_at=None, now=NOW):
    return vr.inactivity_step(last_active=last_active, warned_at=warned_at, now=now)


def test_nothing_happens_until_30_days_before_two_years():
    assert step(NOW - (TWO_YEARS - MONTH) + timedelta(seconds=1)) == ""
    assert step(NOW - timedelta(days=1)) == ""


def test_the_warning_goes_30_days_before_two_years():
    assert step(NOW - (TWO_YEARS - MONTH)) == "warn"
    assert step(NOW - TWO_YEARS - timedelta(days=100)) == "warn"  # never warned: warn first


def test_once_warned_nothing_more_until_two_years():
    warned = NOW - timedelta(days=1)
    assert step(NOW - (TWO_YEARS - MONTH) - timedelta(days=1), warned) == ""


def test_deleted_at_two_years_once_the_warning_is_30_days_old():
    assert step(NOW - TWO_YEARS, warned_at=NOW - MONTH) == "delete"
    assert step(NOW - TWO_YEARS, warned_at=NOW - MONTH + timedelta(seconds=1)) == ""
    assert step(NOW - TWO_YEARS + timedelta(seconds=1), warned_at=NOW - MONTH) == ""


def test_a_late_warning_still_gives_its_30_days():
    last_active = NOW - TWO_YEARS - timedelta(days=60)
    assert step(last_active, warned_at=NOW - timedelta(days=10)) == ""
    assert step(last_active, warned_at=NOW - MONTH) == "delete"


def test_activity_after_the_warning_starts_again():
    warned = NOW - timedelta(days=40)
    # Active after the warning, and long enough ago to be warned again: a new warning.
    assert (
        step(warned + timedelta(days=1), warned, now=warned + timedelta(days=1) + TWO_YEARS)
        == "warn"
    )
    # Active after the warning and recently: nothing, never a deletion.
    assert step(NOW - timedelta(days=5), warned) == ""
