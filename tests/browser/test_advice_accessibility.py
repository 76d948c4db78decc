"""No axe-core violation on the advice pages, in each state, at a desktop width and on a
320 px wide screen (where nothing may scroll sideways).

The organisation's list (empty, then with a request in each state), the asking form (and
with its errors), a request waiting, answered and closed without an answer; the broker's
queue (and filtered), a request to answer (and the answer with its error, the closure with
its error), an answered one to close; the report (and with its error) for a broker and a
manager.
"""

from django.urls import reverse

from ..conftest import build_world
from ..volunteering.advice_support import answered, asked, closed_unanswered
from ..volunteering.support import broker_for
from .conftest import BROWSER_TEST, axe_violations, load_axe, sign_in
from .test_delivery_accessibility import check, send_with_error
from .test_voice_accessibility import both, narrow_problems

pytestmark = BROWSER_TEST


def _url(name, *args):
    return reverse(f"volunteering:{name}", args=args)


def _signed_in(new_context, live_server, user):
    context = new_context()
    sign_in(context, live_server, user)
    load_axe(context)
    return context.new_page()


def test_the_advice_pages_in_each_state_pass_axe(new_context, live_server):
    world = build_world()
    broker = broker_for(world.provider, world.manager, user__email="broker@example.org")

    page = _signed_in(new_context, live_server, world.org_a_member)
    problems = both(page, _url("advice_list"), "organisation, no requests:")
    problems += both(page, _url("advice_ask"), "organisation, asking:")
    page.get_by_label("By telephone").check()
    problems += send_with_error(
        page, "Send your question", "Enter your question", "organisation, asking:"
    )
    problems += narrow_problems(page, "organisation, asking with its errors")
    page.get_by_label("What would you like advice about?").fill("How do we pay bus fares?")
    page.get_by_label("Volunteers' expenses").check()
    page.get_by_label("By email").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send your question", exact=True).click()
    problems += axe_violations(page, "organisation, asked:")
    problems += narrow_problems(page, "organisation, asked")

    waiting = asked(world, question="Do helpers need a DBS check?", topic="dbs_safeguarding")
    done = answered(world, broker, question="Where can we advertise?")
    unanswered = closed_unanswered(world, broker, question="A question asked twice")
    problems += check(page, _url("advice", done.pk), "organisation, answered:")
    problems += check(page, _url("advice", unanswered.pk), "organisation, closed unanswered:")
    problems += both(page, _url("advice_list"), "organisation, in every state:")

    page = _signed_in(new_context, live_server, broker)
    problems += both(page, _url("broker_advice_queue"), "broker, the queue:")
    problems += check(
        page, _url("broker_advice_queue") + "?status=&topic=expenses", "broker, filtered:"
    )
    problems += both(page, _url("broker_advice", waiting.pk), "broker, to answer:")
    page.get_by_label("Your answer").fill("Only if they are left alone with the children.")
    page.get_by_label("Time spent, in minutes", exact=True).fill("ten")
    problems += send_with_error(
        page, "Send the answer", "whole number of minutes", "broker, answering:"
    )
    problems += narrow_problems(page, "broker, the answer with its error")
    page.goto(_url("broker_advice", waiting.pk))
    problems += send_with_error(
        page, "Close it without an answer", "Enter why you are closing it", "broker, closing:"
    )
    problems += both(page, _url("broker_advice", done.pk), "broker, answered, to close:")
    problems += check(page, _url("broker_advice", unanswered.pk), "broker, closed:")
    problems += both(page, reverse("reports:volunteering_advice"), "broker, the report:")
    page.get_by_role("group", name="Asked from").get_by_label("Year").fill("2026")
    problems += send_with_error(
        page, "Apply filters", "Enter the first day as a day", "broker, the report:"
    )
    problems += narrow_problems(page, "broker, the report with its error")

    page = _signed_in(new_context, live_server, world.manager)
    problems += both(page, reverse("reports:volunteering_advice"), "manager, the report:")
    assert not problems, f"{len(problems)} problem(s)\n\n" + "\n\n".join(problems)
