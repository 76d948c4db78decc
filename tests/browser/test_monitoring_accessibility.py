"""No axe-core violation on the monitoring pages in each state a report passes through.

The crawl in test_accessibility.py opens each monitoring URL once (the matrix's grant,
seeded as the demo is). Here: the representative's grant with an overdue report; a
report ready to send and its error for missing answers; a report under way (draft only);
one not started; one sent back for more; the officers' queue, a review with its error,
after acceptance, and the officers' view of the grant.
"""

from django.urls import reverse

from grants.monitoring_services import accept_report, ask_for_more, send_report

from ..conftest import build_world
from ..grants.monitoring import ANSWERS, reports_of, under_way
from .conftest import BROWSER_TEST, load_axe, sign_in
from .test_delivery_accessibility import check, send_with_error

pytestmark = BROWSER_TEST


def _url(name, *args):
    return reverse(f"grants:{name}", args=args)


def test_the_monitoring_pages_in_each_state_pass_axe(new_context, live_server):
    world = build_world()
    decision = under_way(world)
    first, second, third, fourth = reports_of(decision)

    representative = new_context()
    sign_in(representative, live_server, world.org_a_admin)
    load_axe(representative)
    page = representative.new_page()
    problems = check(page, _url("grant", decision.pk), "representative, an overdue report:")
    problems += check(page, _url("grant_report", second.pk), "representative, ready to send:")
    problems += send_with_error(
        page, "Send the report", "Enter the number of people reached", "representative:"
    )
    problems += check(page, _url("grant_report", third.pk), "representative, under way:")
    problems += check(page, _url("grant_report", fourth.pk), "representative, not started:")

    send_report(report=first, answers=ANSWERS, by=world.org_a_admin)
    send_report(report=second, answers=ANSWERS, by=world.org_a_admin)
    ask_for_more(report=first, by=world.officer, what="Which meetings did you hold?")
    problems += check(page, _url("grant_report", first.pk), "representative, more needed:")
    problems += check(page, _url("grant_report", second.pk), "representative, sent:")

    officer = new_context()
    sign_in(officer, live_server, world.officer)
    load_axe(officer)
    page = officer.new_page()
    problems += check(page, _url("grant_reports"), "officer, sent and overdue:")
    problems += check(page, _url("grant_report_review", second.pk), "officer, to review:")
    problems += send_with_error(
        page,
        "Save the decision",
        "Select whether to accept the report or ask for more information",
        "officer:",
    )
    accept_report(report=second, by=world.officer)
    problems += check(page, _url("grant_report_review", second.pk), "officer, accepted:")
    problems += check(page, _url("grant_report_review", first.pk), "officer, more needed:")
    problems += check(page, _url("grant_monitoring", decision.pk), "officer, the grant:")
    assert problems == []
