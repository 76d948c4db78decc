"""The events pages for members of organisations: upcoming events a page at a time, one
event (booked, waiting, full, past, cancelled), booking and its refusals (a past event, a
double submission) changing nothing, the joining link only for people with a place, their
bookings, cancelling (the first waiting moves up and is emailed after commit), and
feedback after an event they attended, with what was typed kept on a refusal."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from volunteering.events_services import book_place, cancel_event, record_attendance
from volunteering.models import Booking, Feedback

from ..conftest import assert_constant_queries, client_for
from .events_support import (
    draft_event,
    member,
    move_into_the_past,
    past_event_with,
    published_event,
)
from .support import broker_for

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/vcs-training"


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _url(name, *args):
    return reverse(f"volunteering:{name}", args=args)


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


@pytest.fixture
def as_member(world):
    return client_for(world.org_a_member)


def test_the_list_shows_published_events_still_to_come_soonest_first(world, broker, as_member):
    later = published_event(broker, title="Networking lunch", kind="networking")
    sooner = published_event(
        broker,
        title="Safeguarding basics",
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=2),
        capacity=1,
    )
    book_place(event=sooner, by=world.org_b_admin)
    draft_event(broker, title="A draft")
    move_into_the_past(published_event(broker, title="Last month's"))
    cancel_event(event=published_event(broker, title="Called off"), by=broker, reason="Ill.")
    page = _page(as_member.get(_url("events")))
    assert "2 upcoming events" in page
    assert page.index(sooner.title) < page.index(later.title)
    assert "Full: you can join the waiting list" in page and "0 of 10 places taken" in page
    for hidden in ("A draft", "Last month's", "Called off"):
        assert hidden not in page


def test_the_list_reads_the_same_queries_however_many_events(world, broker, as_member):
    def make_rows(n):
        for i in range(n):
            event = published_event(broker, title=f"Event {i}")
            book_place(event=event, by=world.org_b_admin)

    # Session, user, the membership, the count and the page (places counted in it).
    assert assert_constant_queries(make_rows, lambda: as_member.get(_url("events"))) == 5


def test_people_in_no_organisation_get_404(world, broker):
    event = published_event(broker)
    for person in (world.outsider, world.provider_user, world.officer, world.manager):
        client = client_for(person)
        assert client.get(_url("events")).status_code == 404
        assert client.get(_url("event", event.pk)).status_code == 404
        assert client.post(_url("event_book", event.pk)).status_code == 404
    assert not Booking.objects.exists()


def test_a_draft_is_not_for_members(world, broker, as_member):
    assert as_member.get(_url("event", draft_event(broker).pk)).status_code == 404


def test_a_member_books_a_place_and_only_then_sees_the_joining_link(world, broker, as_member):
    event = published_event(broker, online=True, joining_link=LINK, capacity=2)
    page = _page(as_member.get(_url("event", event.pk)))
    assert "2 places left" in page and "Book a place" in page
    assert LINK not in as_member.get(_url("event", event.pk)).content.decode()
    response = as_member.post(_url("event_book", event.pk))
    assert response.status_code == 302 and response.url == _url("event", event.pk)
    page = as_member.get(_url("event", event.pk)).content.decode()
    assert "You have a place on this event." in page and LINK in page
    assert "Cancel your place" in page and "Book a place" not in page
    booking = Booking.objects.get()
    assert (booking.user, booking.organisation, booking.status) == (
        world.org_a_member,
        world.org_a,
        "booked",
    )


def test_a_full_event_offers_the_waiting_list_and_keeps_the_link_hidden(world, broker, as_member):
    event = published_event(broker, online=True, joining_link=LINK, capacity=1)
    book_place(event=event, by=world.org_b_admin)
    page = _page(as_member.get(_url("event", event.pk)))
    assert "Full: you can join the waiting list" in page and "Join the waiting list" in page
    as_member.post(_url("event_book", event.pk))
    response = as_member.get(_url("event", event.pk))
    page = _page(response)
    assert "you are on the waiting list (number 1)" in page
    assert "Waiting list, number 1" in page and "Leave the waiting list" in page
    assert LINK not in response.content.decode()


def test_a_booking_sent_after_the_event_started_is_refused_and_changes_nothing(
    world, broker, as_member
):
    event = published_event(broker)
    as_member.get(_url("event", event.pk))  # the page opened before it started
    move_into_the_past(event)
    page = _page(as_member.post(_url("event_book", event.pk)))
    assert "There is a problem" in page and "already started or taken place" in page
    assert not Booking.objects.exists()
    assert "Book a place" not in page


def test_a_double_submission_books_once_and_says_so(world, broker, as_member):
    event = published_event(broker)
    as_member.post(_url("event_book", event.pk))
    page = _page(as_member.post(_url("event_book", event.pk)))
    assert "You already have a place on this event. Nothing was booked." in page
    assert Booking.objects.count() == 1


def test_a_cancelled_event_says_why(world, broker, as_member):
    event = published_event(broker)
    book_place(event=event, by=world.org_a_member)
    cancel_event(event=event, by=broker, reason="The trainer is ill.")
    page = _page(as_member.get(_url("event", event.pk)))
    assert "This event has been cancelled: The trainer is ill." in page
    assert "Book a place" not in page and "Cancel your place" not in page


def test_my_bookings_read_the_same_queries_however_many(world, broker, as_member):
    def make_rows(n):
        for _ in range(n):
            book_place(event=published_event(broker), by=world.org_a_member)

    # Session, user, the membership, the count and the page (event and feedback joined).
    assert assert_constant_queries(make_rows, lambda: as_member.get(_url("event_bookings"))) == 5


def test_cancelling_gives_the_place_to_the_first_waiting_who_is_emailed_after_commit(
    world, broker, as_member, django_capture_on_commit_callbacks
):
    event = published_event(broker, capacity=1)
    booking = book_place(event=event, by=world.org_a_member)
    waiting = book_place(event=event, by=world.org_b_admin)
    page = _page(as_member.get(_url("event_booking_cancel", booking.pk)))
    assert "Cancel your place?" in page
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_member.post(_url("event_booking_cancel", booking.pk))
    assert response.status_code == 302 and response.url == _url("event_bookings")
    waiting.refresh_from_db()
    assert waiting.status == "booked"
    assert callbacks, "the email is sent only once the cancellation commits"
    [email] = Notification.objects.filter(kind="volunteering:event", subject__contains="have a")
    assert email.recipient == world.org_b_admin.email and event.title in email.subject
    page = _page(as_member.post(_url("event_booking_cancel", booking.pk)))
    assert "This booking has already been cancelled. Nothing was changed." in page


def test_someone_elses_booking_is_404(world, broker, as_member):
    booking = book_place(event=published_event(broker), by=world.org_a_admin)
    assert as_member.get(_url("event_booking_cancel", booking.pk)).status_code == 404
    assert as_member.post(_url("event_booking_cancel", booking.pk)).status_code == 404
    assert as_member.get(_url("event_feedback", booking.pk)).status_code == 404
    booking.refresh_from_db()
    assert booking.status == "booked"


def _attended(world, broker):
    event, (booking,) = past_event_with(broker, [world.org_a_member])
    record_attendance(event=event, by=broker, present={booking.pk})
    return booking


def test_an_attendee_gives_feedback_and_a_missing_rating_keeps_the_comment(
    world, broker, as_member
):
    booking = _attended(world, broker)
    page = _page(as_member.get(_url("event_bookings")))
    assert "Give feedback" in page
    response = as_member.post(_url("event_feedback", booking.pk), {"comment": "Very practical"})
    page = _page(response)
    assert "There is a problem" in page and "Select a rating from 1 to 5" in page
    assert "Very practical" in response.content.decode()
    assert not Feedback.objects.exists()
    response = as_member.post(
        _url("event_feedback", booking.pk), {"rating": "5", "comment": "Very practical"}
    )
    assert response.status_code == 302
    assert Feedback.objects.get().rating == 5
    assert "You gave it 5 out of 5" in _page(as_member.get(_url("event_bookings")))


def test_feedback_sent_twice_is_refused_with_what_was_typed(world, broker, as_member):
    booking = _attended(world, broker)
    as_member.post(_url("event_feedback", booking.pk), {"rating": "4", "comment": "Good"})
    response = as_member.post(
        _url("event_feedback", booking.pk), {"rating": "2", "comment": "Second thoughts"}
    )
    page = _page(response)
    assert "You have already given feedback on this event. Nothing was changed." in page
    assert "Second thoughts" in response.content.decode()
    assert Feedback.objects.get().rating == 4


def test_no_feedback_page_for_someone_who_did_not_attend(world, broker, as_member):
    event, (booking,) = past_event_with(broker, [world.org_a_member])
    record_attendance(event=event, by=broker, present=set())
    page = _page(as_member.get(_url("event_feedback", booking.pk)))
    assert "Only people who attended the event can give feedback." in page
    assert "Send feedback" not in page


def test_an_organisations_home_page_links_to_the_events(world):
    assert _url("events") in client_for(world.org_a_member).get(reverse("home")).content.decode()


def test_members_of_any_organisation_may_book(world, broker):
    event = published_event(broker)
    other = member()
    assert client_for(other).post(_url("event_book", event.pk)).status_code == 302
    assert Booking.objects.get().user == other
