"""No axe-core violation on the equality monitoring figures, with counts shown, "fewer than
5" and "withheld", at a desktop width and on a 320 px wide screen (where the tables scroll
in their own region, never the page); the filter with its error; for a manager and a
broker."""

from django.urls import reverse

from ..conftest import build_world
from ..reports.test_volunteering_equality import volunteers
from ..volunteering.support import broker_for
from .conftest import BROWSER_TEST, load_axe, sign_in
from .test_delivery_accessibility import send_with_error
from .test_voice_accessibility import both, narrow_problems

pytestmark = BROWSER_TEST

URL = reverse("reports:volunteering_equality")


def _page(new_context, live_server, user):
    context = new_context()
    sign_in(context, live_server, user)
    load_axe(context)
    return context.new_page()


def test_the_equality_figures_pass_axe(new_context, live_server):
    world = build_world()
    broker = broker_for(world.provider, world.manager, user__email="broker@example.org")
    volunteers(8, "Woman", "White", "No")
    volunteers(6, "Man", "Asian or Asian British", "Yes")
    volunteers(1, "Non-binary", "", "Prefer not to say")
    volunteers(2)

    page = _page(new_context, live_server, world.manager)
    problems = both(page, URL, "manager, the equality figures:")
    if "fewer than 5" not in page.content() or "withheld" not in page.content():
        problems.append("manager: the page shows neither a small number nor a withheld one")
    page.get_by_label("From").fill("2026-05-02")
    page.get_by_label("Up to and including").fill("2026-05-01")
    problems += send_with_error(
        page,
        "Apply filters",
        "The end of the period must be on or after its start",
        "manager, the equality figures:",
    )
    problems += narrow_problems(page, "manager, the equality figures with the filter's error")

    page = _page(new_context, live_server, broker)
    problems += both(page, URL, "broker, the equality figures:")
    assert not problems, f"{len(problems)} problem(s)\n\n" + "\n\n".join(problems)
