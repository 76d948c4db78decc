"""No axe-core violation on the representatives' and concerns' pages, in each state.

The crawl in test_accessibility.py opens each URL once, in the matrix's state.
Here: the public page with a published report and counts of concerns; the
concern form and its errors, and refused past the rate limit; "check your
email"; the link's page before confirming, once confirmed, and when it does
not work; the representative's list and its response form with its error and
after responding; the officers' queue, and the review page before the date,
with its error and once decided. The runner and the error-summary checks are
the delivery test's.
"""

from datetime import timedelta

from django.urls import reverse

from ..conftest import build_world
from ..grants.concern_support import WHAT_HAPPENED, confirmed, raised, responded
from ..grants.monitoring import ANSWERS, under_way
from .conftest import BROWSER_TEST, load_axe, sign_in
from .test_delivery_accessibility import check, send_with_error

pytestmark = BROWSER_TEST


def _url(name, *args):
    return reverse(f"grants:{name}", args=args)


def test_the_concern_pages_in_each_state_pass_axe(new_context, live_server):
    from grants.concern_services import confirm_concern, decide_concern
    from grants.monitoring_services import accept_report, send_report

    world = build_world()
    decision = under_way(world)
    report = decision.reports.order_by("period").first()
    send_report(
        report=report,
        answers=ANSWERS,
        by=world.org_a_admin,
        today=report.period_ends_on + timedelta(days=1),
    )
    accept_report(report=report, by=world.officer)
    waiting = confirmed(decision, email="waiting@example.org")
    answered = responded(decision, world.org_a_admin, email="answered@example.org")
    done = responded(decision, world.org_a_admin, email="done@example.org")
    decide_concern(concern=done, by=world.officer, outcome="advice", reasons="Advice given.")
    _, token = raised(decision, email="to-confirm@example.org")
    _, used = raised(decision, email="used@example.org")
    confirm_concern(token=used)
    # The browser's network (the live server sees 127.0.0.1) has had its 10 for the hour.
    for n in range(10):
        raised(decision, email=f"limit{n}@example.org", ip="127.0.0.1")

    public = new_context()
    load_axe(public)
    page = public.new_page()
    problems = check(page, _url("representatives"), "public, the list:")
    problems += check(page, _url("representative", decision.pk), "public, a report, counts:")
    problems += check(page, _url("concern_raise", decision.pk), "public, the form:")
    page.get_by_label("Your email address").fill("not-an-address")
    problems += send_with_error(
        page,
        "Send",
        "Enter an email address in the correct format, like name@example.com",
        "public:",
    )
    page.get_by_label("What happened?").fill(WHAT_HAPPENED)
    page.get_by_label("Your email address").fill("limit@example.org")
    problems += send_with_error(
        page,
        "Send",
        "concerns have been raised from your network in the last hour",
        "public, limit:",
    )
    problems += check(page, _url("concern_sent", decision.pk), "public, check your email:")
    problems += check(page, _url("concern_confirm", token), "public, the link:")
    problems += check(page, _url("concern_confirm", used), "public, confirmed:")
    problems += check(page, _url("concern_confirm", "not-a-token"), "public, a bad link:")

    organisation = new_context()
    sign_in(organisation, live_server, world.org_a_admin)
    load_axe(organisation)
    page = organisation.new_page()
    problems += check(page, _url("my_concerns"), "representative, every state:")
    problems += check(page, _url("concern_respond", waiting.pk), "representative, to respond:")
    problems += send_with_error(
        page, "Send the response", "Enter your response to the concern", "representative:"
    )
    problems += check(page, _url("concern_respond", answered.pk), "representative, responded:")
    problems += check(page, _url("concern_respond", done.pk), "representative, closed:")

    officer = new_context()
    sign_in(officer, live_server, world.officer)
    load_axe(officer)
    page = officer.new_page()
    problems += check(page, _url("concern_queue"), "officer, the queue:")
    problems += check(page, _url("concern_review", waiting.pk), "officer, before the date:")
    problems += check(page, _url("concern_review", answered.pk), "officer, to decide:")
    problems += send_with_error(page, "Record the outcome", "Select the outcome", "officer:")
    problems += check(page, _url("concern_review", done.pk), "officer, decided:")
    assert not problems, f"{len(problems)} problem(s)\n\n" + "\n\n".join(problems)
