"""Events and bookings built through the services, as the events tests need them.

An event "in the past" is made the only way one can be: published while still to come,
booked, then its times moved back (a test's shortcut, as no service books the past).
"""

from datetime import timedelta

from django.utils import timezone

from volunteering.events_services import book_place, publish_event, save_event
from volunteering.models import Event

from ..factories import MembershipFactory


def event_fields(**changes) -> dict:
    starts = timezone.now().replace(microsecond=0) + timedelta(days=7)
    fields = {
        "kind": "training",
        "title": "Recruiting and keeping volunteers",
        "description": "A morning on finding volunteers and keeping them.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=3),
        "online": False,
        "venue": "Voluntary Action Leicestershire, 9 Newarke Street, Leicester LE1 5SN",
        "joining_link": "",
        "capacity": 10,
    }
    return fields | changes


def draft_event(broker, **changes) -> Event:
    return save_event(by=broker, fields=event_fields(**changes))


def published_event(broker, **changes) -> Event:
    return publish_event(event=draft_event(broker, **changes), by=broker)


def member(organisation=None, **user):
    """A member of `organisation` (a new one if None)."""
    kwargs = {"organisation": organisation} if organisation is not None else {}
    return MembershipFactory(
        role="member", **kwargs, **{f"user__{k}": v for k, v in user.items()}
    ).user


def move_into_the_past(event, *, days=1, hours=3) -> Event:
    """Move an event's times back so that it started `days` ago and lasted `hours`."""
    starts = timezone.now().replace(microsecond=0) - timedelta(days=days)
    Event.objects.filter(pk=event.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=hours)
    )
    event.refresh_from_db()
    return event


def past_event_with(broker, people, *, days=1, hours=3, **changes) -> tuple[Event, list]:
    """A published event that each of `people` booked, started `days` ago (see
    move_into_the_past)."""
    event = published_event(broker, **changes)
    bookings = [book_place(event=event, by=person) for person in people]
    return move_into_the_past(event, days=days, hours=hours), bookings
