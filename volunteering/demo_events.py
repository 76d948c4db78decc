"""Demo events for section C, called by volunteering.demo (issue 14).

The volunteer centre's broker (provider2@example.org) runs: a training event in ten days
that is full, with Jo Member (member@example.org) on its waiting list; an online
networking meeting with places; a draft; and a training event held a fortnight ago, where
Highfields (org@example.org) attended and gave feedback, Braunstone (org2@example.org)
attended and can still give feedback, and Jo Member did not come. Everything goes through
the services; the past event is booked while still to come and then moved back in time
(demo data only: no service books the past). Idempotent: nothing is made again once the
broker has an event.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from organisations.models import User

from .events_services import book_place, give_feedback, publish_event, record_attendance, save_event
from .models import Event


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _event(broker, title, *, days, hours=3, publish=True, **more):
    fields = {
        "kind": "training",
        "title": title,
        "description": (
            "A practical session for people who recruit, support and keep volunteers, with "
            "time for questions and to meet others doing the same."
        ),
        "starts_at": _at(days, 10),
        "ends_at": _at(days, 10 + hours),
        "online": False,
        "venue": "Voluntary Action LeicesterShire, 9 Newarke Street, Leicester LE1 5SN",
        "joining_link": "",
        "capacity": 20,
        **more,
    }
    event = save_event(by=broker, fields=fields)
    return publish_event(event=event, by=broker) if publish else event


def seed_events(stdout, broker: User) -> None:
    if Event.objects.filter(created_by=broker).exists():
        return
    highfields = User.objects.get(email="org@example.org")
    braunstone = User.objects.get(email="org2@example.org")
    jo = User.objects.get(email="member@example.org")

    full = _event(broker, "Recruiting and keeping volunteers", days=10, capacity=2)
    for person in (highfields, braunstone, jo):
        book_place(event=full, by=person)  # the third joins the waiting list
    _event(
        broker,
        "Volunteer managers' network (online)",
        days=21,
        hours=1,
        kind="networking",
        online=True,
        joining_link="https://meet.example.org/volunteer-managers",
    )
    _event(broker, "Supporting volunteers' wellbeing", days=35, publish=False)

    held = _event(broker, "Safeguarding for volunteer managers", days=7, capacity=10)
    bookings = {
        person: book_place(event=held, by=person) for person in (highfields, braunstone, jo)
    }
    starts = _at(-14, 10)
    Event.objects.filter(pk=held.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=3))
    held.refresh_from_db()
    record_attendance(
        event=held, by=broker, present={bookings[highfields].pk, bookings[braunstone].pk}
    )
    give_feedback(
        booking=bookings[highfields],
        by=highfields,
        rating=5,
        comment="Clear and practical: we have already changed how we check references.",
    )
    stdout.write(
        "  Events: a full training event with member@example.org on its waiting list, an "
        "online networking meeting, a draft, and a past event with attendance and feedback "
        "(org2@example.org can still give feedback); the broker sees them under Events for "
        "volunteer managers"
    )
