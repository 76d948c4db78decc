"""The brokers' event pages: every event a page at a
time; creating and changing one (each refusal on its field with what was typed kept);
publishing; cancelling with a reason (everyone booked or waiting emailed); the bookings;
the attendance register once the event has started. Only live brokers see these pages.
(The events and attendance report: tests/reports/test_volunteering_events_report.py.)"""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from volunteering.events_services import book_place
from volunteering.models import Booking, Event

from ..conftest import assert_constant_queries, client_for
from .events_support import draft_event, member, past_event_with, published_event
from .support import broker_for

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _url(name, *args):
    return reverse(f"volunteering:{name}", args=args)


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


@pytest.fixture
def as_broker(broker):
    return client_for(broker)


def _form(**changes):
    day = timezone.localdate() + timedelta(days=14)
    data = {
        "kind": "training",
        "title": "Recruiting and keeping volunteers",
        "description": "A morning on finding volunteers and keeping them.",
        "day_0": day.day,
        "day_1": day.month,
        "day_2": day.year,
        "start_time": "10:00",
        "end_time": "12:30",
        "venue": "9 Newarke Street, Leicester",
        "joining_link": "",
        "capacity": "12",
    }
    return data | changes


def test_a_broker_creates_a_draft_event_in_the_councils_time(world, broker, as_broker):
    response = as_broker.post(_url("broker_event_create"), _form())
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == _url("broker_event", event.pk)
    assert event.status == "draft" and event.capacity == 12 and event.created_by == broker
    local = timezone.localtime(event.starts_at)
    assert (local.hour, local.minute) == (10, 0)
    assert timezone.localtime(event.ends_at).minute == 30
    page = _page(as_broker.get(_url("broker_event", event.pk)))
    assert "Draft" in page and "Publish it for booking" in page and "0 of 12 places taken" in page


def test_an_empty_form_asks_for_each_answer(world, as_broker):
    page = _page(as_broker.post(_url("broker_event_create"), {}))
    for said in (
        "Select whether it is a training or a networking event",
        "Enter a title for the event",
        "Enter the date of the event",
        "Enter the time, like 09:30 or 14:00",
        "Enter how many places there are",
    ):
        assert said in page
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"day_2": timezone.localdate().year - 1}, "The event must start in the future"),
        ({"end_time": "09:00"}, "The event must end after it starts"),
        ({"venue": ""}, "Enter the venue's address, or say the event is online"),
        ({"online": "on", "venue": ""}, "Enter the link to join the event online"),
        ({"start_time": "25:00"}, "Enter a real time, like 09:30 or 14:00"),
        ({"capacity": "0"}, "An event must have at least 1 place"),
    ],
)
def test_a_refusal_shows_on_its_field_and_keeps_what_was_typed(world, as_broker, changes, said):
    response = as_broker.post(_url("broker_event_create"), _form(**changes))
    page = _page(response)
    assert "There is a problem" in page and said in page
    assert "A morning on finding volunteers and keeping them." in response.content.decode()
    assert not Event.objects.exists()


def test_fewer_places_than_booked_are_refused_on_the_form(world, broker, as_broker):
    event = published_event(broker, capacity=3)
    for person in (world.org_a_admin, world.org_a_member):
        book_place(event=event, by=person)
    response = as_broker.post(_url("broker_event_edit", event.pk), _form(capacity="1"))
    page = _page(response)
    assert "2 people already have a place, so the event must have at least 2 places" in page
    assert Event.objects.get(pk=event.pk).capacity == 3


def test_publishing_opens_booking_and_twice_is_refused(world, broker, as_broker):
    event = draft_event(broker)
    response = as_broker.post(_url("broker_event_publish", event.pk))
    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).status == "published"
    page = _page(as_broker.post(_url("broker_event_publish", event.pk)))
    assert "This event is already published. Nothing was changed." in page


def test_cancelling_needs_a_reason_and_emails_everyone_booked(
    world, broker, as_broker, django_capture_on_commit_callbacks
):
    event = published_event(broker, capacity=1)
    book_place(event=event, by=world.org_a_admin)
    book_place(event=event, by=world.org_b_admin)
    page = _page(as_broker.post(_url("broker_event_cancel", event.pk), {"reason": " "}))
    assert "Enter why the event is cancelled" in page
    assert Event.objects.get(pk=event.pk).status == "published"
    with django_capture_on_commit_callbacks(execute=True):
        response = as_broker.post(
            _url("broker_event_cancel", event.pk), {"reason": "The trainer is ill."}
        )
    assert response.status_code == 302
    told = Notification.objects.filter(kind="volunteering:event", subject__contains="cancelled")
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [world.org_a_admin.email, world.org_b_admin.email]
    )
    page = _page(as_broker.get(_url("broker_event", event.pk)))
    assert "Cancelled: The trainer is ill." in page and "Cancel the event" not in page


def test_the_event_page_lists_places_then_the_waiting_list(world, broker, as_broker):
    event = published_event(broker, capacity=1)
    book_place(event=event, by=world.org_b_admin)
    book_place(event=event, by=world.org_a_member)
    page = _page(as_broker.get(_url("broker_event", event.pk)))
    assert "Booked" in page and "Waiting list, number 1" in page
    assert page.index("Organisation B") < page.index("Waiting list, number 1")


def test_the_lists_read_the_same_queries_however_many(world, broker, as_broker):
    event = published_event(broker, capacity=200)

    def make_events(n):
        for _ in range(n):
            book_place(event=published_event(broker), by=world.org_a_admin)

    # Session, user, the broker check, the count and the page (places counted in it).
    assert assert_constant_queries(make_events, lambda: as_broker.get(_url("broker_events"))) == 5

    def make_bookings(n):
        for _ in range(n):
            book_place(event=event, by=member(world.org_a))

    # Session, user, the broker check, the event, places taken, the count and the page
    # (person, organisation and feedback joined).
    assert (
        assert_constant_queries(
            make_bookings, lambda: as_broker.get(_url("broker_event", event.pk))
        )
        == 7
    )


def test_attendance_is_recorded_once_the_event_has_started(world, broker, as_broker):
    upcoming = published_event(broker)
    page = _page(as_broker.get(_url("broker_event_attendance", upcoming.pk)))
    assert "Attendance can be recorded once the event has started" in page
    event, (came, missed) = past_event_with(broker, [world.org_a_admin, world.org_b_admin])
    page = _page(as_broker.get(_url("broker_event", event.pk)))
    assert "Record attendance" in page and "Change the event" not in page
    response = as_broker.post(_url("broker_event_attendance", event.pk), {"present": [came.pk]})
    assert response.status_code == 302
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert (statuses[came.pk], statuses[missed.pk]) == ("attended", "no_show")
    response = as_broker.get(_url("broker_event_attendance", event.pk))
    assert re.search(rf'value="{came.pk}"[^>]*checked', response.content.decode())


def test_only_live_brokers_run_events(world, broker):
    event = draft_event(broker)
    for person in (world.provider_user, world.org_a_admin, world.officer, world.manager):
        client = client_for(person)
        assert client.get(_url("broker_events")).status_code == 404
        assert client.post(_url("broker_event_publish", event.pk)).status_code == 404
    assert Event.objects.get().status == "draft"


def test_a_brokers_home_page_links_to_the_events(world, broker):
    assert _url("broker_events") in client_for(broker).get(reverse("home")).content.decode()
