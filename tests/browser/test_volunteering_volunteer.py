"""A volunteer's journey in the browser, with axe on every page at a desktop width and on a
320 px wide screen (where nothing may scroll sideways).

A member of the public opens a published opportunity and is sent to sign up as a
volunteer (first with an error); back on the opportunity they say they are interested;
organisation A's administrator sees them among the people interested and accepts; the
volunteer logs hours (first in the future, refused) and the organisation confirms them;
the volunteer's record shows them. The brokers' queue, the volunteer's home, data,
equality, delete and privacy pages are checked on the way.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from volunteering.models import HourEntry, Interest, Volunteer

from ..conftest import build_world
from ..factories import UserFactory
from ..volunteering.support import broker_for, published
from .conftest import BROWSER_TEST, axe_violations, load_axe, sign_in
from .test_delivery_accessibility import check, send_with_error
from .test_voice_accessibility import both, narrow_problems

pytestmark = BROWSER_TEST


def _url(name, *args):
    return reverse(f"volunteering:{name}", args=args)


def _as(new_context, live_server, user):
    context = new_context()
    sign_in(context, live_server, user)
    load_axe(context)
    return context.new_page()


def _send(page, button, where):
    """Press the button reading `button` and check the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    return axe_violations(page, f"{where} {page.url}") + narrow_problems(page, where)


def _date(page, on):
    page.locator('input[name="hours-on_0"]').fill(str(on.day))
    page.locator('input[name="hours-on_1"]').fill(str(on.month))
    page.locator('input[name="hours-on_2"]').fill(str(on.year))


def test_a_volunteer_signs_up_is_accepted_and_has_hours_confirmed(new_context, live_server):
    world = build_world()
    broker = broker_for(world.provider, world.manager, user__email="broker@example.org")
    opportunity = published(world, broker, title="Lunch club helper")
    person = UserFactory(email="val@example.org", full_name="Val Unteer")

    # Signing up, sent from the opportunity and brought back to it.
    volunteer = _as(new_context, live_server, person)
    volunteer.goto(_url("interest_create", opportunity.pk))
    assert _url("volunteer_profile") in volunteer.url
    problems = axe_violations(volunteer, "volunteer, sign up:")
    problems += narrow_problems(volunteer, "volunteer, sign up")
    volunteer.get_by_label("The first part of your postcode").fill("LE2 1AB")
    problems += send_with_error(volunteer, "Sign up", "Select your age", "volunteer, sign up:")
    problems += narrow_problems(volunteer, "volunteer, sign up with its error")
    volunteer.get_by_label("25 to 34").check()
    problems += send_with_error(
        volunteer, "Sign up", "Enter the first part of your postcode", "volunteer, sign up:"
    )
    # What was typed is kept.
    assert volunteer.get_by_label("25 to 34").is_checked()
    volunteer.get_by_label("The first part of your postcode").fill("LE2")
    problems += _send(volunteer, "Sign up", "volunteer, the opportunity:")
    assert volunteer.url.endswith(_url("interest_create", opportunity.pk))
    assert Volunteer.objects.filter(user=person).exists()

    # Interest.
    volunteer.get_by_label("Message to the organisation (optional)").fill("I can cook.")
    problems += _send(volunteer, "Send", "volunteer, interest sent:")
    interest = Interest.objects.get()
    assert volunteer.url.endswith(_url("my_interest", interest.pk))

    # The brokers see it waiting for an answer.
    as_broker = _as(new_context, live_server, broker)
    problems += both(as_broker, _url("broker_interest"), "broker, unanswered interest:")
    assert "Lunch club helper" in as_broker.content()

    # The organisation accepts.
    organisation = _as(new_context, live_server, world.org_a_admin)
    problems += both(
        organisation, _url("opportunity_interests", opportunity.pk), "organisation, interested:"
    )
    problems += both(organisation, _url("interest", interest.pk), "organisation, interest:")
    assert "val@example.org" in organisation.content()
    organisation.get_by_label("Accept: the volunteer starts a placement").check()
    problems += _send(organisation, "Send your answer", "organisation, accepted:")
    interest.refresh_from_db()
    assert interest.status == "accepted"

    # The volunteer logs hours: first in the future, refused, then today.
    problems += both(volunteer, _url("my_interest", interest.pk), "volunteer, placement:")
    _date(volunteer, timezone.localdate() + timedelta(days=1))
    volunteer.get_by_label("Hours", exact=True).fill("2.5")
    problems += send_with_error(
        volunteer, "Log hours", "must be today or in the past", "volunteer, hours:"
    )
    problems += narrow_problems(volunteer, "volunteer, hours with its error")
    assert volunteer.get_by_label("Hours", exact=True).input_value() == "2.5"
    _date(volunteer, timezone.localdate())
    volunteer.get_by_label("What was done (optional)").fill("Served lunch")
    problems += _send(volunteer, "Log hours", "volunteer, hours logged:")
    entry = HourEntry.objects.get()

    # The organisation confirms them.
    problems += both(organisation, _url("hours_answer", entry.pk), "organisation, confirm:")
    organisation.get_by_label("Yes, confirm them").check()
    problems += _send(organisation, "Send", "organisation, confirmed:")
    entry.refresh_from_db()
    assert entry.status == "confirmed"

    # The volunteer's record, home and data.
    problems += both(volunteer, _url("volunteer_record"), "volunteer, record:")
    assert "2.50 hours in all" in volunteer.inner_text("main")
    problems += both(volunteer, _url("volunteer_home"), "volunteer, home:")
    problems += both(volunteer, _url("volunteer_profile"), "volunteer, details:")
    problems += both(volunteer, _url("volunteer_equality"), "volunteer, equality:")
    problems += both(volunteer, _url("volunteer_data"), "volunteer, data:")
    problems += both(volunteer, _url("volunteer_delete"), "volunteer, delete:")
    problems += check(volunteer, _url("volunteer_privacy"), "privacy notice:")
    assert not problems, f"{len(problems)} problem(s)\n\n" + "\n\n".join(problems)
