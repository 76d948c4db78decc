"""No axe-core violation on the volunteering pages for opportunities, in each state, at a
desktop width and on a 320 px wide screen (where nothing may scroll sideways).

The organisation's list (empty, then with an opportunity in each state), the form (empty,
with its error, and sent back with what to change), the check-answers page (a draft, then
refused with each answer to change), the confirmation, the withdraw and filled pages; the broker's
queue and check (with its error, and once decided); the manager's brokers (with its error)
and the revoke page.
"""

from django.urls import reverse

from ..conftest import build_world
from ..volunteering.support import broker_for, drafted, published, submitted
from .conftest import BROWSER_TEST, axe_violations, load_axe, sign_in
from .test_accessibility import ERROR_SUMMARY_FOCUSED
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


def _refused_on_check_answers(page, where):
    """Send an incomplete draft from its check-answers page: the summary, focused, lists
    each answer to change (its links go to the form, so they are not followed here)."""
    with page.expect_navigation():
        page.get_by_role("button", name="Send to the volunteer centre", exact=True).click()
    problems = axe_violations(page, f"{where} refused")
    summary = page.locator(".govuk-error-summary")
    if summary.count() != 1 or "Select a priority theme" not in summary.inner_text():
        problems.append(f"{where} refused: no error summary naming the theme")
    if not page.evaluate(ERROR_SUMMARY_FOCUSED):
        problems.append(f"{where} refused: the error summary does not have focus")
    return problems + narrow_problems(page, f"{where} refused")


def test_the_volunteering_pages_in_each_state_pass_axe(new_context, live_server):
    from volunteering.services import send_back_opportunity

    world = build_world()
    broker = broker_for(world.provider, world.manager, user__email="broker@example.org")

    page = _context(new_context, live_server, world.org_a_member)
    problems = both(page, _url("opportunities"), "organisation, no opportunities:")
    problems += both(page, _url("opportunity_create"), "organisation, the form:")
    page.get_by_label("What will the volunteer do?").fill("Read with children.")
    problems += send_with_error(
        page, "Save as draft", "Enter a title for the opportunity", "organisation, the form:"
    )
    problems += narrow_problems(page, "organisation, the form with its error")

    incomplete = drafted(world, title="Gardener", description="", theme=None)
    problems += both(page, _url("opportunity", incomplete.pk), "organisation, a draft:")
    problems += _refused_on_check_answers(page, "organisation, a draft")
    problems += check(page, _url("opportunity_withdraw", incomplete.pk), "organisation, withdraw:")

    complete = drafted(world, title="Driver")
    page.goto(_url("opportunity", complete.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Send to the volunteer centre", exact=True).click()
    problems += axe_violations(page, "organisation, sent:")
    problems += narrow_problems(page, "organisation, sent")

    sent_back = send_back_opportunity(
        opportunity=submitted(world, title="Befriender"),
        by=broker,
        reason="Say which days of the week you need the volunteer.",
    )
    problems += both(page, _url("opportunity_edit", sent_back.pk), "organisation, sent back:")
    live = published(world, broker, title="Lunch club helper")
    problems += check(page, _url("opportunity", live.pk), "organisation, published:")
    problems += both(page, _url("opportunity_filled", live.pk), "organisation, filled:")
    problems += both(page, _url("opportunities"), "organisation, in every state:")

    page = _context(new_context, live_server, broker)
    problems += both(page, _url("broker_queue"), "broker, the queue:")
    problems += both(page, _url("broker_check", complete.pk), "broker, to check:")
    page.get_by_label("Send it back to the organisation to change").check()
    problems += send_with_error(
        page, "Save the decision", "Enter what the organisation needs to change", "broker:"
    )
    problems += check(page, _url("broker_check", live.pk), "broker, already checked:")

    page = _context(new_context, live_server, world.manager)
    problems += both(page, _url("brokers"), "manager, the brokers:")
    problems += send_with_error(
        page, "Make them a broker", "Enter the email address of the person", "manager:"
    )
    grant = broker.broker_grants.get()
    problems += both(page, _url("broker_revoke", grant.pk), "manager, revoke:")
    assert not problems, f"{len(problems)} problem(s)\n\n" + "\n\n".join(problems)
