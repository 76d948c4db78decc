"""Two people at one event at once, on PostgreSQL with real threads and connections.

Every booking locks the event's row and counts the places under the lock, so of two
people booking the last place at the same moment one gets it and the other joins the
waiting list (never both booked, never an error); one person's double click books once;
and a cancellation racing a new booking gives the freed place to the first waiting.
"""

import pytest

from volunteering.events_services import book_place, cancel_booking
from volunteering.models import Booking
from volunteering.services import VolunteeringError

from .. import threads
from ..conftest import build_world
from .events_support import member, published_event
from .support import broker_for

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(jobs):
    return threads.run_together(jobs, refusals=VolunteeringError, said=lambda exc: exc.reason)


def test_two_people_booking_the_last_place_at_once_one_gets_it_the_other_waits():
    world = build_world()
    broker = broker_for(world.provider, world.manager)
    for _ in range(3):
        event = published_event(broker, capacity=2)
        book_place(event=event, by=member(world.org_a))
        people = [member(world.org_a), member(world.org_b)]
        results = run_together([lambda p=p, e=event: book_place(event=e, by=p) for p in people])
        assert [kind for kind, _ in results] == ["ok", "ok"], results
        assert sorted(booking.status for _, booking in results) == ["booked", "waiting"]
        statuses = sorted(Booking.objects.filter(event=event).values_list("status", flat=True))
        assert statuses == ["booked", "booked", "waiting"]
        waiting = Booking.objects.get(event=event, status="waiting")
        assert waiting.position == 1


def test_eight_people_at_once_fill_the_places_and_queue_in_order():
    world = build_world()
    broker = broker_for(world.provider, world.manager)
    event = published_event(broker, capacity=3)
    people = [member(world.org_a) for _ in range(8)]
    results = run_together([lambda p=p, e=event: book_place(event=e, by=p) for p in people])
    assert all(kind == "ok" for kind, _ in results), results
    assert Booking.objects.filter(event=event, status="booked").count() == 3
    positions = Booking.objects.filter(event=event, status="waiting").values_list(
        "position", flat=True
    )
    assert sorted(positions) == [1, 2, 3, 4, 5]


def test_a_double_click_books_once():
    world = build_world()
    broker = broker_for(world.provider, world.manager)
    event = published_event(broker)
    person = world.org_a_admin
    results = run_together([lambda: book_place(event=event, by=person)] * 2)
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    assert "You already have a place" in next(said for kind, said in results if kind == "refused")
    assert Booking.objects.filter(event=event, user=person).count() == 1


def test_a_cancellation_and_a_new_booking_at_once_never_overfill_the_event():
    world = build_world()
    broker = broker_for(world.provider, world.manager)
    for _ in range(3):
        event = published_event(broker, capacity=1)
        holder = member(world.org_a)
        held = book_place(event=event, by=holder)
        first_waiting = member(world.org_b)
        book_place(event=event, by=first_waiting)
        newcomer = member(world.org_a)
        results = run_together(
            [
                lambda h=held, by=holder: cancel_booking(booking=h, by=by),
                lambda p=newcomer, e=event: book_place(event=e, by=p),
            ]
        )
        assert all(kind == "ok" for kind, _ in results), results
        booked = Booking.objects.filter(event=event, status="booked")
        assert [b.user_id for b in booked] == [first_waiting.pk]
        assert Booking.objects.get(event=event, user=newcomer).status == "waiting"
