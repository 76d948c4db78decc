"""No axe-core violation on the volunteer centre's funding pages in each state a report
passes through. The crawl in test_accessibility.py opens each URL once (the matrix's
agreement, seeded as the demo is); here: the manager's form and its errors, the centre's
report ready to send and its error for missing answers, under way, sent back for more and
sent; the officers' queue, a review with its error, and after acceptance."""

from django.urls import reverse

from volunteering.agreement_services import ask_for_more

from ..conftest import build_world
from ..volunteering import matrix
from .conftest import BROWSER_TEST, load_axe, sign_in
from .test_delivery_accessibility import check, send_with_error

pytestmark = BROWSER_TEST


def _url(name, *args):
    return reverse(f"volunteering:{name}", args=args)


def test_the_volunteer_centre_funding_pages_in_each_state_pass_axe(new_context, live_server):
    world = build_world()
    agreement = matrix.agreement(world)
    first, second, third, fourth = agreement.reports.order_by("period")

    manager = new_context()
    sign_in(manager, live_server, world.manager)
    load_axe(manager)
    page = manager.new_page()
    problems = check(page, _url("agreements"), "manager, the agreements:")
    problems += check(page, _url("agreement_new"), "manager, a new agreement:")
    problems += send_with_error(
        page, "Make the agreement", "Enter the amount of the agreement", "manager:"
    )
    problems += check(page, _url("agreement", agreement.pk), "manager, the agreement:")
    problems += check(page, _url("agreement_end", agreement.pk), "manager, ending early:")
    problems += send_with_error(
        page, "End the agreement", "Enter why the agreement is ending early", "manager:"
    )

    centre = new_context()
    sign_in(centre, live_server, world.provider_user)
    load_axe(centre)
    page = centre.new_page()
    problems += check(page, _url("centre_reports"), "centre, its reports:")
    problems += check(page, _url("centre_report", first.pk), "centre, accepted:")
    problems += check(page, _url("centre_report", second.pk), "centre, sent:")
    problems += check(page, _url("centre_report", third.pk), "centre, under way:")
    problems += check(page, _url("centre_report", fourth.pk), "centre, not started:")

    officer = new_context()
    sign_in(officer, live_server, world.officer)
    load_axe(officer)
    page = officer.new_page()
    problems += check(page, _url("agreement_reviews"), "officer, sent:")
    problems += check(page, _url("agreement_report_review", second.pk), "officer, to review:")
    problems += send_with_error(
        page,
        "Save the decision",
        "Select whether to accept the report or ask for more information",
        "officer:",
    )
    problems += check(page, _url("agreement_report_review", first.pk), "officer, accepted:")
    ask_for_more(report=second, by=world.officer, what="How many were under 25?")
    problems += check(page, _url("agreement_report_review", second.pk), "officer, more needed:")
    page = centre.new_page()
    problems += check(page, _url("centre_report", second.pk), "centre, more needed:")
    page.locator("#id_outcomes").fill("")
    problems += send_with_error(
        page, "Send the report", "Describe what difference it made", "centre:"
    )
    assert problems == []
