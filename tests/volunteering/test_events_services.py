"""The events' services: each change once, audited, refused with a reason and nothing
changed; the waiting list moving up (and emailed) when a place frees or places are
added; attendance and feedback only when they make sense; the reminder once per booking."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import Notification
from volunteering.events_services import (
    book_place,
    cancel_booking,
    cancel_event,
    give_feedback,
    publish_event,
    record_attendance,
    save_event,
    send_reminders,
)
from volunteering.models import Booking, Event, Feedback
from volunteering.services import VolunteeringError

from .events_support import (
    draft_event,
    event_fields,
    member,
    move_into_the_past,
    past_event_with,
    published_event,
)
from .support import broker_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


def _actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def _emails(template_subject_part):
    return Notification.objects.filter(subject__contains=template_subject_part)


# --------------------------------------------------------------- the broker's events


def test_a_broker_drafts_and_publishes_an_event(world, broker):
    event = draft_event(broker)
    assert event.status == "draft" and event.created_by == broker
    publish_event(event=event, by=broker)
    event.refresh_from_db()
    assert event.status == "published" and event.published_at is not None
    assert _actions() == ["event.created", "event.published"]


def test_only_a_broker_runs_events(world):
    for person in (world.org_a_admin, world.officer, world.manager, world.provider_user):
        with pytest.raises(VolunteeringError, match="Only a broker"):
            save_event(by=person, fields=event_fields())
    assert not Event.objects.exists()


def test_an_event_with_problems_is_refused_field_by_field(world, broker):
    with pytest.raises(VolunteeringError) as refused:
        save_event(
            by=broker,
            fields=event_fields(
                title="",
                starts_at=timezone.now() - timedelta(hours=1),
                online=True,
                joining_link="",
                capacity=0,
            ),
        )
    assert set(refused.value.problems) == {"title", "starts_at", "joining_link", "capacity"}
    assert not Event.objects.exists()


def test_an_online_event_keeps_no_venue_and_a_venue_no_link(world, broker):
    online = draft_event(broker, online=True, joining_link="https://meet.example.org/a", venue="x")
    assert online.venue == "" and online.joining_link == "https://meet.example.org/a"
    there = draft_event(broker, joining_link="https://meet.example.org/a")
    assert there.joining_link == ""


def test_publishing_twice_is_refused(world, broker):
    event = published_event(broker)
    with pytest.raises(VolunteeringError, match="already published. Nothing was changed."):
        publish_event(event=event, by=broker)
    assert _actions().count("event.published") == 1


def test_cancelling_an_event_emails_everyone_booked_or_waiting(world, broker):
    event = published_event(broker, capacity=1)
    first, second = member(world.org_a), member(world.org_b)
    gone = member(world.org_a)
    book_place(event=event, by=first)
    book_place(event=event, by=second)
    cancel_booking(booking=book_place(event=event, by=gone), by=gone)
    cancel_event(event=event, by=broker, reason="The trainer is ill.")
    event.refresh_from_db()
    assert event.status == "cancelled" and event.cancel_reason == "The trainer is ill."
    told = _emails("Event cancelled")
    assert sorted(told.values_list("recipient", flat=True)) == sorted([first.email, second.email])
    assert "The trainer is ill." in told.first().body_text


def test_cancelling_needs_a_reason_and_happens_once(world, broker):
    event = published_event(broker)
    with pytest.raises(VolunteeringError, match="Enter why the event is cancelled"):
        cancel_event(event=event, by=broker, reason="  ")
    cancel_event(event=event, by=broker, reason="Venue closed.")
    with pytest.raises(VolunteeringError, match="has been cancelled. Nothing was changed."):
        cancel_event(event=event, by=broker, reason="Again.")
    assert _actions().count("event.cancelled") == 1


def test_a_started_event_can_be_neither_changed_nor_cancelled(world, broker):
    event = move_into_the_past(published_event(broker))
    with pytest.raises(VolunteeringError, match="already started"):
        save_event(by=broker, fields=event_fields(), event=event)
    with pytest.raises(VolunteeringError, match="already started"):
        cancel_event(event=event, by=broker, reason="Too late.")


# --------------------------------------------------------------- booking


def test_a_member_books_a_place_for_their_organisation(world, broker):
    event = published_event(broker)
    booking = book_place(event=event, by=world.org_a_member)
    assert booking.status == "booked" and booking.position is None
    assert booking.organisation == world.org_a
    assert "booking.booked" in _actions()


def test_a_full_event_puts_the_next_people_on_its_waiting_list_in_order(world, broker):
    event = published_event(broker, capacity=1)
    book_place(event=event, by=world.org_a_admin)
    second = book_place(event=event, by=world.org_a_member)
    third = book_place(event=event, by=world.org_b_admin)
    assert (second.status, second.position) == ("waiting", 1)
    assert (third.status, third.position) == ("waiting", 2)
    assert _actions().count("booking.waiting") == 2


def test_a_booking_for_a_past_event_is_refused_and_changes_nothing(world, broker):
    event = move_into_the_past(published_event(broker))
    with pytest.raises(VolunteeringError, match="already started or taken place"):
        book_place(event=event, by=world.org_a_admin)
    assert not Booking.objects.exists()


def test_booking_twice_books_once(world, broker):
    event = published_event(broker)
    book_place(event=event, by=world.org_a_admin)
    with pytest.raises(VolunteeringError, match="You already have a place"):
        book_place(event=event, by=world.org_a_admin)
    assert Booking.objects.count() == 1


def test_people_in_no_organisation_cannot_book(world, broker):
    event = published_event(broker)
    for person in (world.outsider, world.provider_user, world.officer):
        with pytest.raises(VolunteeringError, match="Only members of an organisation"):
            book_place(event=event, by=person)
    assert not Booking.objects.exists()


def test_drafts_and_cancelled_events_cannot_be_booked(world, broker):
    with pytest.raises(VolunteeringError, match="not open for booking"):
        book_place(event=draft_event(broker), by=world.org_a_admin)
    cancelled = cancel_event(event=published_event(broker), by=broker, reason="Ill.")
    with pytest.raises(VolunteeringError, match="has been cancelled"):
        book_place(event=cancelled, by=world.org_a_admin)


def test_a_cancelled_booking_may_book_again(world, broker):
    event = published_event(broker)
    cancel_booking(booking=book_place(event=event, by=world.org_a_admin), by=world.org_a_admin)
    assert book_place(event=event, by=world.org_a_admin).status == "booked"


# --------------------------------------------------------------- the waiting list


def test_a_cancelled_place_goes_to_the_first_waiting_who_is_emailed(world, broker):
    event = published_event(
        broker, capacity=1, online=True, joining_link="https://meet.example.org/z"
    )
    holder = book_place(event=event, by=world.org_a_admin)
    first = book_place(event=event, by=world.org_a_member)
    second = book_place(event=event, by=world.org_b_admin)
    cancel_booking(booking=holder, by=world.org_a_admin)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.position) == ("booked", None)
    assert first.moved_up_at is not None
    assert (second.status, second.position) == ("waiting", 2)
    email = _emails("You have a place on").get()
    assert email.recipient == world.org_a_member.email
    assert "https://meet.example.org/z" in email.body_text
    assert _actions()[-2:] == ["booking.cancelled", "booking.moved_up"]


def test_leaving_the_waiting_list_moves_nobody_up(world, broker):
    event = published_event(broker, capacity=1)
    book_place(event=event, by=world.org_a_admin)
    waiting = book_place(event=event, by=world.org_a_member)
    later = book_place(event=event, by=world.org_b_admin)
    cancel_booking(booking=waiting, by=world.org_a_member)
    later.refresh_from_db()
    assert later.status == "waiting"
    assert not _emails("You have a place on").exists()


def test_more_places_move_the_first_waiting_up_and_fewer_than_booked_are_refused(world, broker):
    event = published_event(broker, capacity=1)
    book_place(event=event, by=world.org_a_admin)
    first = book_place(event=event, by=world.org_a_member)
    second = book_place(event=event, by=world.org_b_admin)
    save_event(by=broker, fields=event_fields(capacity=2), event=event)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "booked" and second.status == "waiting"
    with pytest.raises(VolunteeringError, match="2 people already have a place"):
        save_event(by=broker, fields=event_fields(capacity=1), event=event)
    assert Event.objects.get(pk=event.pk).capacity == 2


def test_someone_elses_booking_cannot_be_cancelled(world, broker):
    booking = book_place(event=published_event(broker), by=world.org_a_admin)
    with pytest.raises(VolunteeringError, match="not your booking"):
        cancel_booking(booking=booking, by=world.org_a_member)
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_cancelling_twice_cancels_once(world, broker):
    booking = book_place(event=published_event(broker), by=world.org_a_admin)
    cancel_booking(booking=booking, by=world.org_a_admin)
    with pytest.raises(VolunteeringError, match="already been cancelled"):
        cancel_booking(booking=booking, by=world.org_a_admin)
    assert _actions().count("booking.cancelled") == 1


def test_a_place_cannot_be_cancelled_once_the_event_started(world, broker):
    event = published_event(broker)
    booking = book_place(event=event, by=world.org_a_admin)
    move_into_the_past(event)
    with pytest.raises(VolunteeringError, match="already started"):
        cancel_booking(booking=booking, by=world.org_a_admin)


# --------------------------------------------------------------- attendance and feedback


def test_the_broker_records_who_came_and_may_correct_it(world, broker):
    event, (came, missed) = past_event_with(broker, [world.org_a_admin, world.org_b_admin])
    assert record_attendance(event=event, by=broker, present={came.pk}) == 2
    came.refresh_from_db()
    missed.refresh_from_db()
    assert (came.status, missed.status) == ("attended", "no_show")
    assert came.attendance_recorded_by == broker
    assert record_attendance(event=event, by=broker, present={came.pk}) == 0  # nothing twice
    assert record_attendance(event=event, by=broker, present={came.pk, missed.pk}) == 1
    missed.refresh_from_db()
    assert missed.status == "attended"
    assert _actions().count("booking.attended") == 2


def test_attendance_waits_for_the_start_and_a_broker(world, broker):
    event = published_event(broker)
    booking = book_place(event=event, by=world.org_a_admin)
    with pytest.raises(VolunteeringError, match="once the event has started"):
        record_attendance(event=event, by=broker, present={booking.pk})
    move_into_the_past(event)
    with pytest.raises(VolunteeringError, match="Only a broker"):
        record_attendance(event=event, by=world.org_a_admin, present={booking.pk})
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_an_attendee_gives_feedback_once_after_the_event(world, broker):
    event, (booking,) = past_event_with(broker, [world.org_a_admin])
    record_attendance(event=event, by=broker, present={booking.pk})
    feedback = give_feedback(booking=booking, by=world.org_a_admin, rating=4, comment=" Good ")
    assert (feedback.rating, feedback.comment) == (4, "Good")
    with pytest.raises(VolunteeringError, match="already given feedback"):
        give_feedback(booking=booking, by=world.org_a_admin, rating=5, comment="")
    assert Feedback.objects.get().rating == 4
    assert _actions().count("feedback.given") == 1


def test_no_feedback_from_someone_who_did_not_come_or_before_the_end(world, broker):
    event, (came, missed) = past_event_with(
        broker, [world.org_a_admin, world.org_b_admin], days=0, hours=48
    )
    record_attendance(event=event, by=broker, present={came.pk})
    with pytest.raises(VolunteeringError, match="once the event has finished"):
        give_feedback(booking=came, by=world.org_a_admin, rating=3, comment="")
    move_into_the_past(event)
    with pytest.raises(VolunteeringError, match="Only people who attended"):
        give_feedback(booking=missed, by=world.org_b_admin, rating=3, comment="")
    with pytest.raises(VolunteeringError, match="Select a rating from 1 to 5"):
        give_feedback(booking=came, by=world.org_a_admin, rating=None, comment="")
    assert not Feedback.objects.exists()


# --------------------------------------------------------------- the reminder


def _tomorrow_at(hour):
    now = timezone.localtime()
    return now.replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(days=1)


def test_the_reminder_goes_once_to_each_person_with_a_place(world, broker):
    starts = _tomorrow_at(10)
    event = published_event(
        broker, capacity=1, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    holder = book_place(event=event, by=world.org_a_admin)
    book_place(event=event, by=world.org_a_member)  # waiting: no reminder
    morning = timezone.localtime().replace(hour=9, minute=10)
    assert send_reminders(morning) == 1
    assert send_reminders(morning) == 0
    holder.refresh_from_db()
    assert holder.reminded_at is not None
    email = _emails("is tomorrow").get()
    assert email.recipient == world.org_a_admin.email
    assert "9 Newarke Street" in email.body_text


def test_no_reminder_in_the_night_or_for_a_cancelled_event(world, broker):
    starts = _tomorrow_at(10)
    times = {"starts_at": starts, "ends_at": starts + timedelta(hours=2)}
    event = published_event(broker, **times)
    book_place(event=event, by=world.org_a_admin)
    assert send_reminders(timezone.localtime().replace(hour=2, minute=10)) == 0
    other = published_event(broker, **times)
    book_place(event=other, by=world.org_b_admin)
    cancel_event(event=other, by=broker, reason="Ill.")
    assert send_reminders(timezone.localtime().replace(hour=9, minute=10)) == 1
    assert _emails("is tomorrow").get().recipient == world.org_a_admin.email
