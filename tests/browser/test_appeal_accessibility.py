"""No axe-core violation on the appeal, collective-issue and round-report pages in each state.

The crawl in test_accessibility.py opens each URL once, in the matrix's state
(an appeal waiting, an issue without a response). Here: the applicant's outcome
with the appeal link, the appeal form and its error, the appeal once sent, and
a plain member's page without the form; a manager who took part (no form), and
one who did not, with the form's error and then the outcome upheld; the list
with a waiting and a reviewed appeal; the officer's meeting, issue and response
forms with their errors, the lists filled, the representatives' page; and the
round report with a spread, a conflict and a decision. A form sent with an
error answers with the error summary, naming it, with focus on it.
"""

from django.urls import reverse
from django.utils import timezone

from grants.appeal_services import lodge_appeal, review_appeal
from grants.collective_services import record_issue, record_meeting

from ..conftest import build_world
from ..factories import MembershipFactory
from ..grants.appeal_support import GROUNDS, decided, outsider_manager
from ..grants.collective_support import representatives
from .conftest import BROWSER_TEST, load_axe, sign_in
from .test_delivery_accessibility import check, send_with_error

pytestmark = BROWSER_TEST


def _url(name, *args):
    return reverse(f"grants:{name}", args=args)


def _browser_for(new_context, live_server, user):
    context = new_context()
    sign_in(context, live_server, user)
    load_axe(context)
    return context.new_page()


def test_the_appeal_pages_in_each_state_pass_axe(new_context, live_server):
    world = build_world()
    state = decided(world)
    # Another round's appeal, already reviewed, so the managers' list shows both kinds.
    other = decided(world)
    earlier = lodge_appeal(application=other.loser, by=other.loser_admin, grounds=GROUNDS)
    review_appeal(appeal=earlier, by=outsider_manager(), outcome="not_upheld", reasons="Stands.")
    member = MembershipFactory(organisation=state.loser.organisation, role="member").user

    page = _browser_for(new_context, live_server, state.loser_admin)
    problems = check(page, _url("application", state.loser.pk), "applicant, the outcome:")
    if "Appeal this decision (by" not in page.locator("main").inner_text():
        problems.append("the outcome does not offer the appeal with its date")
    problems += check(page, _url("appeal", state.loser.pk), "applicant, the form:")
    problems += send_with_error(
        page, "Send the appeal", "Enter the grounds for your appeal", "applicant:"
    )
    page.locator("textarea[name=grounds]").fill(GROUNDS)
    with page.expect_navigation():
        page.get_by_role("button", name="Send the appeal", exact=True).click()
    problems += check(page, _url("application", state.loser.pk), "applicant, appealed:")
    problems += check(page, _url("appeal", state.loser.pk), "applicant, the appeal sent:")

    page = _browser_for(new_context, live_server, member)
    problems += check(page, _url("appeal", state.loser.pk), "a member, no form:")

    appeal = state.loser.appeal
    page = _browser_for(new_context, live_server, world.manager)  # decided it: no form
    problems += check(page, _url("appeal_review", appeal.pk), "manager who took part:")
    problems += check(page, _url("appeals"), "manager, the list:")

    page = _browser_for(new_context, live_server, outsider_manager())
    problems += check(page, _url("appeal_review", appeal.pk), "reviewer, the form:")
    problems += send_with_error(
        page,
        "Record the outcome",
        "Select whether the appeal is upheld or not upheld",
        "reviewer:",
    )
    page.locator("input[name=outcome][value=upheld]").check()
    page.locator("textarea[name=reasons]").fill("The letters of support were not read.")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the outcome", exact=True).click()
    problems += check(page, _url("appeal_review", appeal.pk), "reviewer, upheld:")
    assert problems == [], "\n\n".join(problems)


def test_the_collective_issue_and_report_pages_pass_axe(new_context, live_server):
    world = build_world()
    first, second = representatives(world)
    page = _browser_for(new_context, live_server, world.officer)
    problems = check(page, _url("collective_issues"), "officer, no issue yet:")
    problems += check(page, _url("collective_meeting_add"), "officer, a meeting:")
    problems += send_with_error(
        page, "Record the meeting", "Enter the title of the meeting", "officer:"
    )
    problems += check(page, _url("collective_issue_add"), "officer, an issue:")
    page.locator("input[name=title]").fill("Hate crime reporting")
    page.locator("textarea[name=description]").fill("Victims do not know where to report.")
    page.locator(f"input[name=raised_by][value='{first.pk}']").check()
    problems += send_with_error(
        page,
        "Record the issue",
        "Select at least two representatives who raised the issue",
        "officer:",
    )
    meeting = record_meeting(
        by=world.officer,
        title="Representatives' forum",
        held_on=timezone.localdate(),
        summary="Hate crime reporting and youth services.",
    )
    waiting = record_issue(
        by=world.officer,
        title="Youth services",
        description="Both communities' young people lack a place to meet.",
        raised_by=[first.pk, second.pk],
        meeting=meeting,
    )
    problems += check(page, _url("collective_meetings"), "officer, a meeting listed:")
    problems += check(page, _url("collective_issue_respond", waiting.pk), "officer, respond:")
    problems += send_with_error(
        page, "Record the response", "Enter the council's response", "officer:"
    )
    page.locator("textarea[name=response]").fill("A review of youth services is under way.")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the response", exact=True).click()
    problems += check(page, _url("collective_issues"), "officer, an issue answered:")

    page = _browser_for(new_context, live_server, world.org_a_admin)
    problems += check(
        page, _url("collective_issues_for_representatives"), "representative, the issues:"
    )
    problems += check(page, _url("application", first.application_id), "representative, its award:")

    page = _browser_for(new_context, live_server, world.manager)
    grant_round = first.round_community.round
    problems += check(page, _url("round_report", grant_round.pk), "manager, the report:")
    problems += check(page, _url("round_detail", grant_round.pk), "manager, the round:")
    assert problems == [], "\n\n".join(problems)
