"""The events' pure rules, without a database: who may book, who moves up from the waiting
list (a place freed, more places, fewer places), when attendance and feedback may be
recorded, when the day-before reminder is due, and which changes to an event are told."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from volunteering import events_rules as rules

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=3)


@dataclass
class Waiting:
    name: str
    position: int


def _book(**changes):
    given = {
        "is_member": True,
        "event_status": "published",
        "starts_at": LATER,
        "now": NOW,
        "live_booking_status": None,
    }
    return rules.booking_eligibility(**(given | changes))


def test_a_member_may_book_a_published_event_still_to_come():
    assert _book()


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"is_member": False}, "Only members of an organisation registered"),
        ({"event_status": "draft"}, "This event is not open for booking"),
        ({"event_status": "cancelled"}, "This event has been cancelled"),
        ({"starts_at": NOW - timedelta(days=1)}, "already started or taken place"),
        ({"starts_at": NOW}, "already started or taken place"),
        ({"live_booking_status": "booked"}, "You already have a place on this event"),
        ({"live_booking_status": "waiting"}, "already on the waiting list"),
    ],
)
def test_it_refuses_a_booking_with_a_reason(changes, said):
    decision = _book(**changes)
    assert not decision
    assert said in decision.reason


@pytest.mark.parametrize(
    ("capacity", "holding", "free"), [(10, 3, 7), (10, 10, 0), (5, 8, 0), (1, 0, 1)]
)
def test_places_free_is_never_below_nought(capacity, holding, free):
    assert rules.places_free(capacity, holding) == free


def test_the_first_in_line_moves_up_when_a_place_frees():
    line = [Waiting("third", 7), Waiting("first", 2), Waiting("second", 5)]
    assert [w.name for w in rules.moving_up(10, 9, line)] == ["first"]


def test_as_many_move_up_as_places_came_free():
    line = [Waiting("b", 2), Waiting("a", 1), Waiting("c", 3)]
    assert [w.name for w in rules.moving_up(12, 10, line)] == ["a", "b"]
    assert [w.name for w in rules.moving_up(20, 10, line)] == ["a", "b", "c"]


@pytest.mark.parametrize(("capacity", "holding"), [(10, 10), (8, 10), (0, 0)])
def test_nobody_moves_up_while_full_or_over_full_after_the_capacity_was_cut(capacity, holding):
    assert rules.moving_up(capacity, holding, [Waiting("a", 1)]) == []


def test_nobody_moves_up_from_an_empty_waiting_list():
    assert rules.moving_up(10, 0, []) == []


@pytest.mark.parametrize(
    ("capacity", "holding", "said"),
    [
        (None, 0, "Enter how many places there are"),
        (0, 0, "at least 1 place"),
        (201, 0, "at most 200 places"),
        (4, 5, "5 people already have a place, so the event must have at least 5 places"),
    ],
)
def test_capacity_problems(capacity, holding, said):
    assert said in rules.capacity_problem(capacity, holding)


def test_a_capacity_of_those_already_booked_is_fine():
    assert rules.capacity_problem(5, 5) is None


def _fields(**changes):
    return {
        "title": "Training",
        "description": "About it",
        "starts_at": LATER,
        "ends_at": LATER + timedelta(hours=2),
        "online": False,
        "venue": "The hall",
        "joining_link": "",
    } | changes


@pytest.mark.parametrize(
    ("changes", "field", "said"),
    [
        ({"title": "  "}, "title", "Enter a title for the event"),
        ({"description": ""}, "description", "Enter what the event is about"),
        ({"starts_at": None}, "starts_at", "Enter the date and time the event starts"),
        ({"starts_at": NOW - timedelta(hours=1)}, "starts_at", "must start in the future"),
        ({"ends_at": LATER}, "ends_at", "must end after it starts"),
        ({"ends_at": None}, "ends_at", "Enter the date and time the event ends"),
        ({"venue": ""}, "venue", "Enter the venue's address, or say the event is online"),
        ({"online": True}, "joining_link", "Enter the link to join the event online"),
    ],
)
def test_event_problems_name_the_field(changes, field, said):
    problems = rules.event_problems(_fields(**changes), NOW)
    assert said in problems[field]


def test_complete_details_have_no_problems():
    assert rules.event_problems(_fields(), NOW) == {}
    assert (
        rules.event_problems(_fields(online=True, venue="", joining_link="https://x.org"), NOW)
        == {}
    )


@pytest.mark.parametrize(
    ("status", "starts_at", "allowed"),
    [
        ("booked", LATER, True),
        ("waiting", LATER, True),
        ("booked", NOW, False),
        ("cancelled", LATER, False),
        ("attended", NOW - timedelta(days=1), False),
    ],
)
def test_a_booking_may_be_cancelled_only_before_the_start(status, starts_at, allowed):
    assert bool(rules.may_cancel_booking(status=status, starts_at=starts_at, now=NOW)) is allowed


def test_a_booking_on_a_cancelled_event_has_nothing_to_cancel():
    decision = rules.may_cancel_booking(
        status="booked", starts_at=LATER, now=NOW, event_status="cancelled"
    )
    assert not decision and "The event has been cancelled" in decision.reason


@pytest.mark.parametrize(
    ("status", "starts_at", "allowed"),
    [
        ("published", NOW - timedelta(minutes=1), True),
        ("published", NOW, True),
        ("published", LATER, False),
        ("cancelled", NOW - timedelta(days=1), False),
        ("draft", NOW - timedelta(days=1), False),
    ],
)
def test_attendance_is_recorded_once_a_published_event_starts(status, starts_at, allowed):
    decision = rules.may_record_attendance(event_status=status, starts_at=starts_at, now=NOW)
    assert bool(decision) is allowed


@pytest.mark.parametrize(
    ("status", "ends_at", "already", "said"),
    [
        ("attended", NOW - timedelta(hours=1), False, ""),
        ("no_show", NOW - timedelta(hours=1), False, "Only people who attended"),
        ("booked", NOW - timedelta(hours=1), False, "Only people who attended"),
        ("attended", NOW + timedelta(hours=1), False, "once the event has finished"),
        ("attended", NOW - timedelta(hours=1), True, "already given feedback"),
    ],
)
def test_feedback_only_from_attendees_once_after_the_event(status, ends_at, already, said):
    decision = rules.may_give_feedback(
        booking_status=status, ends_at=ends_at, now=NOW, already=already
    )
    assert bool(decision) is (said == "")
    assert said in decision.reason


@pytest.mark.parametrize(
    ("rating", "comment", "field"),
    [(None, "", "rating"), (0, "", "rating"), (6, "", "rating"), (3, "x" * 2001, "comment")],
)
def test_feedback_problems(rating, comment, field):
    assert field in rules.feedback_problems(rating, comment)


def test_good_feedback_has_no_problems():
    assert rules.feedback_problems(5, "Very useful") == {}
    assert rules.feedback_problems(1, "") == {}


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (datetime(2026, 6, 1, 9, 0), True),
        (datetime(2026, 6, 1, 23, 10), True),
        (datetime(2026, 6, 1, 8, 59), False),  # not in the night
        (datetime(2026, 6, 2, 9, 0), False),  # the day itself
        (datetime(2026, 5, 31, 12, 0), False),  # two days before
    ],
)
def test_the_reminder_is_due_the_day_before_from_nine(now, due):
    assert rules.reminder_due(starts_at=datetime(2026, 6, 2, 10, 0), now=now) is due


@pytest.mark.parametrize(
    ("table", "status", "to"),
    [
        (rules.EVENT_TRANSITIONS, "cancelled", "published"),
        (rules.EVENT_TRANSITIONS, "published", "draft"),
        (rules.BOOKING_TRANSITIONS, "cancelled", "booked"),
        (rules.BOOKING_TRANSITIONS, "attended", "waiting"),
    ],
)
def test_moves_not_in_the_tables_are_refused(table, status, to):
    check = rules.may_move_event if table is rules.EVENT_TRANSITIONS else rules.may_move_booking
    decision = check(status, to)
    assert not decision
    assert decision.reason.endswith("Nothing was changed.")


def test_the_changes_told_are_those_whose_words_changed_and_not_a_link_taken_away():
    before = {"when": "Tuesday 9 June 2026, 10:00 to 12:30", "where": "Town Hall", "link": ""}
    assert rules.changes_to_tell(before, dict(before)) == []
    moved = before | {"when": "Thursday 11 June 2026, 14:00 to 16:30"}
    assert rules.changes_to_tell(before, moved) == [
        {"what": "when", "was": before["when"], "now": moved["when"]}
    ]
    online = before | {"where": "Online", "link": "https://meet.example.org/a"}
    assert [c["what"] for c in rules.changes_to_tell(before, online)] == ["where", "link"]
    assert rules.changes_to_tell(online, before) == [
        {"what": "where", "was": "Online", "now": "Town Hall"}
    ]
