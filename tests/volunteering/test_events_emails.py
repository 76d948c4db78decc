"""The events' emails to the people booked: a confirmation of each booking (a place, or
the waiting list and its number), and what changed when a broker moves a published event's
date, times, venue or online details; never for a draft, never for a change nobody relies
on, never to a cancelled booking, once per change."""

from datetime import timedelta

import pytest

from audit.models import AuditEvent
from notifications.models import Notification
from volunteering.events_services import book_place, cancel_booking, save_event
from volunteering.models import Event
from volunteering.services import VolunteeringError

from .events_support import draft_event, member, published_event
from .support import broker_for

pytestmark = pytest.mark.django_db

MEET = "https://meet.example.org/vcs-training"


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


def _emails(subject_part):
    return Notification.objects.filter(kind="volunteering:event", subject__contains=subject_part)


def _to(subject_part):
    return sorted(_emails(subject_part).values_list("recipient", flat=True))


def _fields_of(event: Event, **changes) -> dict:
    """The event's fields as they are, with `changes`: a form submitted again as it was."""
    names = ("kind", "title", "description", "starts_at", "ends_at", "online", "venue")
    fields = {name: getattr(event, name) for name in names}
    return fields | {"joining_link": event.joining_link, "capacity": event.capacity} | changes


# --------------------------------------------------------------- booking


def test_booking_a_place_emails_a_confirmation_with_when_where_and_the_booking(world, broker):
    event = published_event(broker)
    booking = book_place(event=event, by=world.org_a_member)
    email = _emails("is booked").get()
    assert email.recipient == world.org_a_member.email
    assert email.subject == "Your place on Recruiting and keeping volunteers is booked"
    assert 'You have a place on "Recruiting and keeping volunteers".' in email.body_text
    assert "Where: Voluntary Action Leicestershire, 9 Newarke Street" in email.body_text
    assert f"/organisation/events/{event.pk}/" in email.body_text
    assert email.idempotency_key == f"event_booked:{booking.pk}:{world.org_a_member.pk}"


def test_joining_the_waiting_list_emails_its_number_and_not_the_link(world, broker):
    event = published_event(broker, capacity=1, online=True, joining_link=MEET)
    book_place(event=event, by=world.org_a_admin)
    book_place(event=event, by=world.org_a_member)
    book_place(event=event, by=world.org_b_admin)
    assert _to("is booked") == [world.org_a_admin.email]
    assert MEET in _emails("is booked").get().body_text
    assert _to("waiting list") == sorted([world.org_a_member.email, world.org_b_admin.email])
    second = _emails("waiting list").get(recipient=world.org_b_admin.email)
    assert second.subject == "You are on the waiting list for Recruiting and keeping volunteers"
    assert "waiting list (number 2)" in second.body_text
    assert MEET not in second.body_text


def test_a_refused_booking_emails_nothing_and_booking_again_confirms_again(world, broker):
    event = published_event(broker)
    booking = book_place(event=event, by=world.org_a_admin)
    with pytest.raises(VolunteeringError, match="You already have a place"):
        book_place(event=event, by=world.org_a_admin)
    assert _emails("is booked").count() == 1
    cancel_booking(booking=booking, by=world.org_a_admin)
    book_place(event=event, by=world.org_a_admin)
    assert _emails("is booked").count() == 2


# --------------------------------------------------------------- the event changed


def test_a_new_date_and_venue_are_emailed_to_everyone_booked_or_waiting(world, broker):
    event = published_event(broker, capacity=1)
    book_place(event=event, by=world.org_a_admin)
    book_place(event=event, by=world.org_a_member)
    gone = member(world.org_b)
    cancel_booking(booking=book_place(event=event, by=gone), by=gone)
    starts = event.starts_at + timedelta(days=1, hours=2)
    save_event(
        by=broker,
        fields=_fields_of(
            event, starts_at=starts, ends_at=starts + timedelta(hours=3), venue="Town Hall"
        ),
        event=event,
    )
    assert _to("Event changed") == sorted([world.org_a_admin.email, world.org_a_member.email])
    placed = _emails("Event changed").get(recipient=world.org_a_admin.email)
    assert "which you have a place on" in placed.body_text
    assert "Was: Voluntary Action Leicestershire, 9 Newarke Street" in placed.body_text
    assert "Now: Town Hall" in placed.body_text
    waiting = _emails("Event changed").get(recipient=world.org_a_member.email)
    assert "which you are on the waiting list for" in waiting.body_text
    [audit] = AuditEvent.objects.filter(action="event.changed")
    assert audit.data["fields"] == ["ends_at", "starts_at", "venue"]
    assert [change["what"] for change in audit.data["changes"]] == ["when", "where"]
    assert audit.data["changes"][1]["now"] == "Town Hall"


def test_each_change_is_emailed_once_and_saving_it_again_emails_nothing(world, broker):
    event = published_event(broker)
    book_place(event=event, by=world.org_a_admin)
    save_event(by=broker, fields=_fields_of(event, venue="Town Hall"), event=event)
    save_event(by=broker, fields=_fields_of(event, venue="Town Hall"), event=event)
    assert _emails("Event changed").count() == 1
    save_event(by=broker, fields=_fields_of(event, venue="The Y Theatre"), event=event)
    assert _emails("Event changed").count() == 2


def test_a_new_link_to_join_is_told_only_to_those_with_a_place(world, broker):
    event = published_event(broker, capacity=1, online=True, joining_link=MEET)
    book_place(event=event, by=world.org_a_admin)
    book_place(event=event, by=world.org_a_member)
    new = "https://meet.example.org/vcs-training-2"
    save_event(by=broker, fields=_fields_of(event, joining_link=new), event=event)
    email = _emails("Event changed").get()
    assert email.recipient == world.org_a_admin.email
    assert f"Was: {MEET}" in email.body_text and f"Now: {new}" in email.body_text


def test_changes_nobody_relies_on_email_nobody(world, broker):
    event = published_event(broker, capacity=5)
    book_place(event=event, by=world.org_a_admin)
    save_event(
        by=broker,
        fields=_fields_of(event, title="Keeping volunteers", description="New.", capacity=6),
        event=event,
    )
    assert not _emails("Event changed").exists()
    [audit] = AuditEvent.objects.filter(action="event.changed")
    assert audit.data["changes"] == []


def test_a_drafts_changes_email_nobody(world, broker):
    event = draft_event(broker)
    save_event(by=broker, fields=_fields_of(event, venue="Town Hall"), event=event)
    assert Event.objects.get(pk=event.pk).venue == "Town Hall"
    assert not Notification.objects.exists()
