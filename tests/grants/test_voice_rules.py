"""The pure rules of the community's voice: moves as data, the window, the one-voice rule and
its hashes, the postcode, the link, the limits and flags, and the yearly verdict. No database."""

import hashlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants import voice_rules as rules

NOW = datetime(2026, 6, 2, 14, 0, tzinfo=UTC)
KEY = "a-key-for-the-tests"
AREA = {"LE1": True, "LE2": True, "LE9": False, "LE9 6": True}


@pytest.mark.parametrize(
    ("status", "to", "allowed"),
    [
        ("unconfirmed", "counted", True),
        ("unconfirmed", "set_aside", False),
        ("counted", "set_aside", True),
        ("counted", "unconfirmed", False),
        ("set_aside", "counted", True),
        ("set_aside", "set_aside", False),
    ],
)
def test_the_voice_moves_are_the_table(status, to, allowed):
    assert bool(rules.voice_move(status, to)) is allowed


def test_a_refused_move_says_why_and_that_nothing_changed():
    assert rules.voice_move("set_aside", "set_aside").reason == (
        "This response is already set aside. Nothing was changed."
    )


@pytest.mark.parametrize(
    ("status", "to", "allowed"),
    [
        ("waiting", "approved", True),
        ("waiting", "withheld", True),
        ("approved", "withheld", True),
        ("withheld", "approved", True),
        ("approved", "approved", False),
        ("", "approved", False),
    ],
)
def test_a_comment_is_checked_once_and_can_be_changed_back(status, to, allowed):
    assert bool(rules.comment_move(status, to)) is allowed


# --------------------------------------------------------------- the window


def test_backing_opens_when_the_round_closes_for_the_rounds_days():
    opens, closes = rules.backing_window(NOW, 21)
    assert (opens, closes) == (NOW, NOW + timedelta(days=21))


@pytest.mark.parametrize(
    ("now", "allowed", "words"),
    [
        (NOW - timedelta(seconds=1), False, "This opens on"),
        (NOW, True, ""),
        (NOW + timedelta(days=21) - timedelta(seconds=1), True, ""),
        (NOW + timedelta(days=21), False, "This closed on"),
    ],
)
def test_the_window_is_open_from_its_first_moment_to_before_its_last(now, allowed, words):
    decision = rules.window_decision(
        opens_at=NOW, closes_at=NOW + timedelta(days=21), closed=False, now=now
    )
    assert bool(decision) is allowed
    assert decision.reason.startswith(words)
    if not allowed:
        assert decision.reason.endswith("Nothing was recorded.")


def test_a_window_the_job_has_closed_is_closed_whatever_the_clock():
    decision = rules.window_decision(
        opens_at=NOW, closes_at=NOW + timedelta(days=1), closed=True, now=NOW
    )
    assert not decision


# --------------------------------------------------------------- who


def test_the_person_is_a_keyed_hash_of_the_address_in_any_case():
    one = rules.person_hash("Resident@Example.org ", KEY)
    assert one == rules.person_hash("resident@example.org", KEY)
    assert one != rules.person_hash("resident@example.org", "another key")
    # Not the plain SHA-256 anyone could compute from a list of addresses.
    assert one != hashlib.sha256(b"resident@example.org").hexdigest()
    assert "resident" not in one


def test_an_assisted_voice_with_an_address_is_the_same_person_as_online():
    assert rules.assisted_person_hash(
        email="Resident@example.org", name="Asha Patel", postcode="LE2 4AB", key=KEY
    ) == rules.person_hash("resident@example.org", KEY)


def test_without_an_address_the_person_is_their_name_and_postcode_however_written():
    one = rules.assisted_person_hash(email="", name="Asha  Patel", postcode="le24ab", key=KEY)
    assert one == rules.assisted_person_hash(
        email="", name="asha patel", postcode="LE2 4AB", key=KEY
    )
    assert one != rules.assisted_person_hash(
        email="", name="Asha Patel", postcode="LE2 4AD", key=KEY
    )


def test_a_first_voice_is_created_and_a_second_replaces_it():
    assert rules.one_voice(None) == rules.CREATE
    assert rules.one_voice("counted") == rules.REPLACE
    assert rules.one_voice("set_aside") == rules.REPLACE


# --------------------------------------------------------------- where


@pytest.mark.parametrize(
    ("typed", "normalised", "district"),
    [
        ("le2 4ab", "LE2 4AB", "LE2"),
        ("LE24AB", "LE2 4AB", "LE2"),
        (" LE1  6ZG ", "LE1 6ZG", "LE1"),
        ("LE19 1AA", "LE19 1AA", "LE19"),
        ("LE1 6\u200bZG", "LE1 6ZG", "LE1"),  # a zero-width space pasted with it
        ("\ufeffLE1 6ZG\u2060", "LE1 6ZG", "LE1"),  # a byte-order mark and a word joiner
        ("ＬＥ１ ６ＺＧ", "LE1 6ZG", "LE1"),  # full-width
    ],
)
def test_a_postcode_however_typed_keeps_only_its_district(typed, normalised, district):
    assert rules.normalise_postcode(typed) == normalised
    assert rules.postcode_district(typed) == district


@pytest.mark.parametrize(
    ("postcode", "problem"),
    [
        ("", "Enter the postcode where you live, work or study"),
        ("LE", "Enter a full UK postcode, like LE1 6ZG"),
        ("12345 6AB", "Enter a full UK postcode, like LE1 6ZG"),
        (
            "LE9 1AA",
            "LE9 1AA is not in Leicester. Only people who live, work or study in "
            "Leicester can take part",
        ),
        ("LE2 4AB", None),
        ("LE9 6AB", None),
    ],
)
def test_the_postcode_must_be_in_the_area(postcode, problem):
    assert rules.postcode_problem(postcode, AREA, "Leicester") == problem


def test_a_comment_has_200_words():
    assert rules.comment_problem("word " * 200) is None
    assert rules.comment_problem("word " * 201) == "Your comment must be 200 words or fewer"


# --------------------------------------------------------------- the link


def test_the_link_works_for_2_hours():
    def decide(now):
        return rules.link_decision(status="unconfirmed", created_at=NOW, now=now)

    assert decide(NOW + timedelta(hours=2) - timedelta(seconds=1))
    expired = decide(NOW + timedelta(hours=2))
    assert not expired
    assert expired.reason.startswith("This link has expired: links work for 2 hours.")


def test_an_unknown_link_and_a_used_one_are_refused_without_saying_what_was_chosen():
    unknown = rules.link_decision(status=None, created_at=None, now=NOW)
    assert not unknown and unknown.reason.startswith("This link is not valid.")
    used = rules.link_decision(status="counted", created_at=NOW, now=NOW)
    assert not used and "counted" in used.reason


# --------------------------------------------------------------- limits and flags


@pytest.mark.parametrize(("count", "reached"), [(0, False), (4, False), (5, True), (9, True)])
def test_a_person_has_5_a_day(count, reached):
    assert rules.person_limit_reached(rules.Recent(count, NOW)) is reached


def test_a_network_has_20_an_hour_and_is_told_when_it_may_send_again():
    assert rules.source_limit_decision(rules.Recent(19, NOW))
    refused = rules.source_limit_decision(rules.Recent(20, NOW))
    assert not refused
    assert refused.reason.startswith("20 responses have been sent from your network")


@pytest.mark.parametrize(
    ("source", "domain", "from_domain", "flag"),
    [
        (1, "gmail.com", 50, ""),
        (1, "mailinator.com", 1, "A throwaway email address (mailinator.com)"),
        (5, "gmail.com", 1, "5 responses from one network within an hour"),
        (4, "gmail.com", 1, ""),
        (1, "example-club.org", 5, "5 addresses at example-club.org"),
        (1, "example-club.org", 4, ""),
    ],
)
def test_what_is_flagged_to_the_moderator(source, domain, from_domain, flag):
    assert rules.flag_for(from_source_in_hour=source, domain=domain, from_domain=from_domain) == (
        flag
    )


def test_the_domain_is_the_part_after_the_at_in_lower_case():
    assert rules.email_domain(" Someone@MailInator.com ") == "mailinator.com"


# --------------------------------------------------------------- the yearly verdict


def test_a_verdict_is_asked_once_in_each_year_of_the_grant():
    windows = rules.verdict_windows(
        period_starts_on=date(2026, 4, 1),
        period_ends_on=date(2029, 3, 31),
        after_months=9,
        days=21,
    )
    assert [(w.year, w.opens_on, w.closes_on) for w in windows] == [
        (1, date(2027, 1, 1), date(2027, 1, 22)),
        (2, date(2028, 1, 1), date(2028, 1, 22)),
        (3, date(2029, 1, 1), date(2029, 1, 22)),
    ]


def test_a_verdict_window_never_runs_past_the_grant():
    windows = rules.verdict_windows(
        period_starts_on=date(2026, 4, 1),
        period_ends_on=date(2027, 3, 31),
        after_months=12,
        days=21,
    )
    assert windows == []
    windows = rules.verdict_windows(
        period_starts_on=date(2026, 4, 1),
        period_ends_on=date(2027, 3, 10),
        after_months=11,
        days=21,
    )
    assert [(w.opens_on, w.closes_on) for w in windows] == [(date(2027, 3, 1), date(2027, 3, 11))]


@given(st.lists(st.integers(min_value=1, max_value=5), max_size=60))
def test_the_result_counts_every_rating_and_averages_them(ratings):
    result = rules.verdict_result(ratings)
    assert result.count == len(ratings) == sum(result.by_rating)
    if ratings:
        assert abs(result.average - Decimal(sum(ratings)) / len(ratings)) <= Decimal("0.005")
    else:
        assert result.average is None


def test_the_result_is_in_words():
    assert rules.verdict_result([]).words() == "Nobody responded."
    assert rules.verdict_result([2]).words() == (
        "1 person responded; the average was 2.00 out of 5."
    )
    assert rules.verdict_result([1, 2, 2]).words() == (
        "3 people responded; the average was 1.67 out of 5."
    )


@pytest.mark.parametrize(
    ("ratings", "opens"),
    [([], False), ([2, 3], False), ([2, 2, 3], True), ([1], True), ([5, 5, 1], False)],
)
def test_a_review_opens_under_the_threshold(ratings, opens):
    assert rules.opens_review(rules.verdict_result(ratings), Decimal("2.50")) is opens


def test_the_public_sees_totals_only_after_the_decision():
    assert rules.totals_public(decided=False, closed=True) is False
    assert rules.totals_public(decided=True, closed=False) is False  # never while open
    assert rules.totals_public(decided=True, closed=True) is True


def test_voices_are_kept_a_year_after_the_grant_period_ends():
    assert rules.kept_until(date(2027, 3, 31)) == date(2028, 3, 31)
    assert rules.kept_until(date(2028, 2, 29)) == date(2029, 2, 28)


@pytest.mark.parametrize(
    ("typed", "mailbox"),
    [
        ("Alice@Example.org", "alice@example.org"),
        ("alice+backing@example.org", "alice@example.org"),
        ("a.lice+x@gmail.com", "alice@gmail.com"),
        ("A.Lice@GoogleMail.com", "alice@gmail.com"),
        ("a.lice@example.org", "a.lice@example.org"),  # dots matter elsewhere
        ("not-an-address", "not-an-address"),
    ],
)
def test_one_voice_is_counted_by_mailbox(typed, mailbox):
    assert rules.identity_email(typed) == mailbox
    assert rules.person_hash(typed, "k") == rules.person_hash(mailbox, "k")


def test_an_officer_recording_many_responses_in_an_hour_is_flagged_past_the_limit():
    assert rules.assisted_flag(rules.ASSISTED_BURST) == ""
    assert rules.assisted_flag(rules.ASSISTED_BURST + 1) == (
        f"{rules.ASSISTED_BURST + 1} responses recorded by one officer within an hour"
    )
