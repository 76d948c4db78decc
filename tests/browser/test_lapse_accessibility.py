"""No axe-core violation on the closing-date pages, at a desktop width and on a 320 px wide
screen: the organisation's list and opportunity page with the "Closes in N days" tag, the
extend page (empty, with its error, and for one that is not published), and the page the
extension comes back to with its confirmation. Then the keyboard alone extends it.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from ..conftest import build_world
from ..volunteering.support import broker_for, drafted, published
from .conftest import BROWSER_TEST, axe_violations, load_axe, sign_in
from .test_delivery_accessibility import send_with_error
from .test_voice_accessibility import both, narrow_problems

pytestmark = BROWSER_TEST


def _url(name, *args):
    return reverse(f"volunteering:{name}", args=args)


def test_the_closing_date_pages_pass_axe_and_work_with_the_keyboard(new_context, live_server):
    world = build_world()
    broker = broker_for(world.provider, world.manager, user__email="broker@example.org")
    today = timezone.localdate()
    soon = published(world, broker, title="Food bank packer", ends_on=today + timedelta(days=3))
    draft = drafted(world, title="Gardener")

    context = new_context()
    sign_in(context, live_server, world.org_a_member)
    load_axe(context)
    page = context.new_page()
    problems = both(page, _url("opportunities"), "the list, closing soon:")
    if "Closes in 3 days" not in page.inner_text("main"):
        problems.append("the list does not say it closes in 3 days")
    problems += both(page, _url("opportunity", soon.pk), "the opportunity, closing soon:")
    problems += both(page, _url("opportunity_extend", draft.pk), "extend, not published:")
    problems += both(page, _url("opportunity_extend", soon.pk), "extend:")
    problems += send_with_error(
        page, "Extend the closing date", "Enter the new closing date", "extend:"
    )
    problems += narrow_problems(page, "extend, with its error")

    # The keyboard alone: from the error summary's link to the boxes, typed, then sent.
    later = today + timedelta(days=60)
    page.goto(_url("opportunity_extend", soon.pk))
    page.locator("#id_ends_on_0").focus()
    for value in (later.day, later.month, later.year):
        page.keyboard.type(str(value))
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the button, next after the year
    # The confirmation is shown once: read it, then check the page with it.
    if "The closing date is now" not in page.inner_text("main"):
        problems.append("no confirmation after extending")
    problems += axe_violations(page, "after extending, with its confirmation")
    problems += narrow_problems(page, "after extending, with its confirmation")
    soon.refresh_from_db()
    assert soon.ends_on == later, soon.ends_on
    assert not problems, f"{len(problems)} problem(s)\n\n" + "\n\n".join(problems)
