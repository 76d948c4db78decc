"""No axe-core violation on the volunteering events pages, in each state, at a desktop
width and on a 320 px wide screen (where nothing may scroll sideways).

The broker's events (none, then several), the form (empty, with its errors, then saved),
a draft, a published event with bookings and a waiting list, cancelling (with its error),
the attendance register before and after the start; the member's upcoming events, an event
(with places, full, booked with its joining link, waiting), their bookings, cancelling,
and feedback (with its error); the events and attendance report for a broker and a manager.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from volunteering.events_services import book_place, record_attendance

from ..conftest import build_world
from ..volunteering.events_support import draft_event, member, past_event_with, published_event
from ..volunteering.support import broker_for
from .conftest import BROWSER_TEST, axe_violations, load_axe, sign_in
from .test_delivery_accessibility import check, send_with_error
from .test_voice_accessibility import both, narrow_problems

pytestmark = BROWSER_TEST


def _url(name, *args):
    return reverse(f"volunteering:{name}", args=args)


def _context(new_context, live_server, user):
    context = new_context()
    sign_in(context, live_server, user)
    load_axe(context)
    return context.new_page()


def _broker_pages(page):
    problems = both(page, _url("broker_events"), "broker, no events:")
    problems += both(page, _url("broker_event_create"), "broker, the form:")
    page.get_by_label("Title").fill("Recruiting volunteers")
    problems += send_with_error(
        page,
        "Save the event",
        "Select whether it is a training or a networking event",
        "broker, the form:",
    )
    problems += narrow_problems(page, "broker, the form with its errors")
    page.get_by_label("Training").check()
    page.get_by_label("What is the event about?").fill("Finding volunteers and keeping them.")
    when = timezone.localdate() + timedelta(days=14)
    page.locator("#id_day_0").fill(str(when.day))
    page.locator("#id_day_1").fill(str(when.month))
    page.locator("#id_day_2").fill(str(when.year))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:00")
    page.get_by_label("Venue's address").fill("9 Newarke Street, Leicester")
    page.get_by_label("How many places are there?").fill("12")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the event", exact=True).click()
    problems += axe_violations(page, "broker, a draft:")
    problems += narrow_problems(page, "broker, a draft")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish it for booking", exact=True).click()
    problems += axe_violations(page, "broker, published:")
    return problems


def test_the_events_pages_in_each_state_pass_axe(new_context, live_server):
    world = build_world()
    broker = broker_for(world.provider, world.manager, user__email="broker@example.org")
    page = _context(new_context, live_server, broker)
    problems = _broker_pages(page)

    full = published_event(
        broker,
        title="Networking lunch",
        kind="networking",
        capacity=1,
        online=True,
        joining_link="https://meet.example.org/lunch",
    )
    book_place(event=full, by=world.org_b_admin)
    waiting = book_place(event=full, by=member(world.org_b))
    roomy = published_event(broker, title="Safeguarding basics")
    draft_event(broker, title="Wellbeing")
    past, (came, _missed) = past_event_with(
        broker, [world.org_a_admin, world.org_b_admin], title="Held training"
    )
    problems += both(page, _url("broker_events"), "broker, several events:")
    problems += both(page, _url("broker_event", full.pk), "broker, full with a waiting list:")
    problems += both(page, _url("broker_event_cancel", roomy.pk), "broker, cancel:")
    problems += send_with_error(
        page, "Cancel the event", "Enter why the event is cancelled", "broker, cancel:"
    )
    problems += both(page, _url("broker_event_edit", roomy.pk), "broker, change:")
    problems += check(page, _url("broker_event_attendance", roomy.pk), "broker, too early:")
    problems += both(page, _url("broker_event_attendance", past.pk), "broker, attendance:")
    page.get_by_label(str(came.user), exact=False).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save attendance", exact=True).click()
    problems += axe_violations(page, "broker, attendance recorded:")
    problems += both(page, reverse("reports:volunteering_events"), "broker, the report:")

    page = _context(new_context, live_server, world.org_a_admin)
    problems += both(page, _url("event_bookings"), "member, no bookings yet:")
    problems += both(page, _url("events"), "member, upcoming events:")
    problems += both(page, _url("event", roomy.pk), "member, with places:")
    with page.expect_navigation():
        page.get_by_role("button", name="Book a place", exact=True).click()
    problems += axe_violations(page, "member, booked:")
    problems += both(page, _url("event", full.pk), "member, full:")
    with page.expect_navigation():
        page.get_by_role("button", name="Join the waiting list", exact=True).click()
    problems += axe_violations(page, "member, waiting:")
    problems += narrow_problems(page, "member, waiting")
    booking = roomy.bookings.get(user=world.org_a_admin)
    problems += both(page, _url("event_booking_cancel", booking.pk), "member, cancel:")
    record_attendance(event=past, by=broker, present={came.pk})
    problems += both(page, _url("event_bookings"), "member, bookings:")
    problems += both(page, _url("event_feedback", came.pk), "member, feedback:")
    page.get_by_label("Tell us what you thought (optional)").fill("Useful.")
    problems += send_with_error(
        page, "Send feedback", "Select a rating from 1 to 5", "member, feedback:"
    )
    problems += narrow_problems(page, "member, feedback with its error")

    page = _context(new_context, live_server, world.manager)
    problems += both(page, reverse("reports:volunteering_events"), "manager, the report:")
    assert waiting.status == "waiting"
    assert not problems, f"{len(problems)} problem(s)\n\n" + "\n\n".join(problems)
