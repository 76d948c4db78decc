"""Pure decisions about the volunteer centre's events: no writes, no database needed.

An event's and a booking's moves as data; who may book (a member of a registered
organisation, a published event that has not started, not booked already); who moves up
from the waiting list when places free (a cancellation, or more places); when attendance
may be recorded and feedback given; when the reminder is due. Each refusal comes with the
sentence shown to the person.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from django.utils.translation import gettext as _

from organisations.rules import ALLOWED, Decision

DRAFT, PUBLISHED, CANCELLED = "draft", "published", "cancelled"
TRAINING, NETWORKING = "training", "networking"
BOOKED, WAITING, ATTENDED, NO_SHOW = "booked", "waiting", "attended", "no_show"
# A booking's "cancelled" is the same word as the event's.

# An event's moves: a broker drafts it, publishes it, or cancels it (telling everyone booked).
EVENT_TRANSITIONS: dict[str, set[str]] = {
    DRAFT: {PUBLISHED, CANCELLED},
    PUBLISHED: {CANCELLED},
}

# A booking's moves. A place is booked or waited for; the first waiting moves up when a
# place frees; the person cancels before the start; the broker records who came (and may
# correct it).
BOOKING_TRANSITIONS: dict[str, set[str]] = {
    BOOKED: {CANCELLED, ATTENDED, NO_SHOW},
    WAITING: {BOOKED, CANCELLED},
    ATTENDED: {NO_SHOW},
    NO_SHOW: {ATTENDED},
}

# Bookings that hold a place (before the event, booked; after it, attended or not).
HOLDING_A_PLACE = (BOOKED, ATTENDED, NO_SHOW)
# Bookings that are live: one per person per event (the database's unique constraint).
LIVE = (BOOKED, WAITING, ATTENDED, NO_SHOW)

TITLE_LENGTH = 120
MAX_CAPACITY = 200  # a register the broker ticks on one page
MIN_RATING, MAX_RATING = 1, 5
COMMENT_LENGTH = 2000
REMINDER_FROM_HOUR = 9  # the day before, not in the night


def may_move_event(status: str, to: str) -> Decision:
    if to in EVENT_TRANSITIONS.get(status, set()):
        return ALLOWED
    words = {
        DRAFT: _("is still a draft"),
        PUBLISHED: _("is already published"),
        CANCELLED: _("has been cancelled"),
    }.get(status, status)
    return Decision(False, _("This event %(state)s. Nothing was changed.") % {"state": words})


def may_move_booking(status: str, to: str) -> Decision:
    if to in BOOKING_TRANSITIONS.get(status, set()):
        return ALLOWED
    words = {
        CANCELLED: _("This booking has already been cancelled."),
        ATTENDED: _("Attendance has already been recorded for this booking."),
        NO_SHOW: _("Attendance has already been recorded for this booking."),
        WAITING: _("This booking is on the waiting list."),
        BOOKED: _("This booking has a place."),
    }.get(status, "")
    return Decision(False, _("%(state)s Nothing was changed.") % {"state": words})


# --------------------------------------------------------------- booking


def booking_eligibility(
    *,
    is_member: bool,
    event_status: str,
    starts_at: datetime,
    now: datetime,
    live_booking_status: str | None,
) -> Decision:
    """Whether a person may book a place (or join the waiting list) on an event, and why not.

    `live_booking_status` is the status of the person's booking on this event that is not
    cancelled, if there is one.
    """
    if not is_member:
        return Decision(
            False,
            _(
                "Only members of an organisation registered with the service can book events. "
                "Nothing was booked."
            ),
        )
    if event_status == CANCELLED:
        return Decision(False, _("This event has been cancelled. Nothing was booked."))
    if event_status != PUBLISHED:
        return Decision(False, _("This event is not open for booking. Nothing was booked."))
    if starts_at <= now:
        return Decision(
            False,
            _("This event has already started or taken place, so it cannot be booked."),
        )
    if live_booking_status == WAITING:
        return Decision(
            False, _("You are already on the waiting list for this event. Nothing was booked.")
        )
    if live_booking_status is not None:
        return Decision(False, _("You already have a place on this event. Nothing was booked."))
    return ALLOWED


def places_free(capacity: int, holding: int) -> int:
    """Places left: never below nought, even when the capacity was cut below those booked."""
    return max(0, capacity - holding)


T = TypeVar("T")


def moving_up(capacity: int, holding: int, waiting: Sequence[T]) -> list[T]:
    """Who moves up from the waiting list: the first in line, one for each free place.

    `waiting` is every waiting booking, each with a `.position`; they move up in position
    order. Nobody moves up while the event is full, or over full after its capacity was
    cut; nobody booked is ever bumped off.
    """
    in_line = sorted(waiting, key=lambda booking: booking.position)
    return in_line[: places_free(capacity, holding)]


def may_cancel_booking(
    *, status: str, starts_at: datetime, now: datetime, event_status: str = PUBLISHED
) -> Decision:
    if status not in (BOOKED, WAITING):
        return may_move_booking(status, CANCELLED)
    if event_status == CANCELLED:
        return Decision(False, _("The event has been cancelled, so there is nothing to cancel."))
    if starts_at <= now:
        return Decision(
            False,
            _("This event has already started, so the booking can no longer be cancelled."),
        )
    return ALLOWED


def changes_to_tell(before: dict[str, str], after: dict[str, str]) -> list[dict]:
    """What people booked on a published event are told changed: each detail (in words:
    when, where, the link to join) that changed, with what it was and is now. A link taken
    away is not told: where the event now is says it."""
    return [
        {"what": what, "was": was, "now": after[what]}
        for what, was in before.items()
        if after[what] != was and after[what]
    ]


def capacity_problem(capacity, holding: int) -> str | None:
    """The error for a capacity: a whole number of places, at least those already booked."""
    if capacity is None:
        return _("Enter how many places there are")
    if capacity < 1:
        return _("An event must have at least 1 place")
    if capacity > MAX_CAPACITY:
        return _("An event can have at most %(n)s places") % {"n": MAX_CAPACITY}
    if capacity < holding:
        return _(
            "%(n)s people already have a place, so the event must have at least %(n)s places"
        ) % {"n": holding}
    return None


def event_problems(fields: dict, now: datetime) -> dict:
    """What is wrong with an event's details, field by field (GOV.UK error messages)."""
    problems = {}
    if not (fields.get("title") or "").strip():
        problems["title"] = _("Enter a title for the event")
    if not (fields.get("description") or "").strip():
        problems["description"] = _("Enter what the event is about")
    starts_at, ends_at = fields.get("starts_at"), fields.get("ends_at")
    if starts_at is None:
        problems["starts_at"] = _("Enter the date and time the event starts")
    elif starts_at <= now:
        problems["starts_at"] = _("The event must start in the future")
    if ends_at is None:
        problems["ends_at"] = _("Enter the date and time the event ends")
    elif starts_at is not None and ends_at <= starts_at:
        problems["ends_at"] = _("The event must end after it starts")
    if fields.get("online"):
        if not (fields.get("joining_link") or "").strip():
            problems["joining_link"] = _("Enter the link to join the event online")
    elif not (fields.get("venue") or "").strip():
        problems["venue"] = _("Enter the venue's address, or say the event is online")
    return problems


# --------------------------------------------------------------- after the event


def may_record_attendance(*, event_status: str, starts_at: datetime, now: datetime) -> Decision:
    if event_status != PUBLISHED:
        return Decision(
            False,
            _("Attendance can only be recorded for a published event. Nothing was changed."),
        )
    if starts_at > now:
        return Decision(
            False, _("Attendance can be recorded once the event has started. Nothing was changed.")
        )
    return ALLOWED


def may_give_feedback(
    *, booking_status: str, ends_at: datetime, now: datetime, already: bool
) -> Decision:
    if booking_status != ATTENDED:
        return Decision(False, _("Only people who attended the event can give feedback."))
    if ends_at > now:
        return Decision(False, _("You can give feedback once the event has finished."))
    if already:
        return Decision(
            False, _("You have already given feedback on this event. Nothing was changed.")
        )
    return ALLOWED


def feedback_problems(rating, comment: str) -> dict:
    problems = {}
    if rating is None:
        problems["rating"] = _("Select a rating from 1 to 5")
    elif not MIN_RATING <= rating <= MAX_RATING:
        problems["rating"] = _("The rating must be from 1 to 5")
    if len(comment or "") > COMMENT_LENGTH:
        problems["comment"] = _("Your comment must be %(n)s characters or fewer") % {
            "n": f"{COMMENT_LENGTH:,}"
        }
    return problems


def reminder_due(*, starts_at: datetime, now: datetime) -> bool:
    """Whether the day-before reminder is due: the event starts tomorrow (both local
    times), and it is past the hour reminders start, so none is sent in the night."""
    return starts_at.date() == now.date() + timedelta(days=1) and now.hour >= REMINDER_FROM_HOUR
