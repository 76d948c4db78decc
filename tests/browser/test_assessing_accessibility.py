"""No axe-core violation on the assessing pages in each state a round's scoring passes through.

The crawl in test_accessibility.py opens each assessing URL once, in one state
(the matrix's round: the manager's marking form, a spread to moderate). Here
each page is opened in its other states: an assessor's list with every next
step; the declaration form and its error; the conflicted page; a draft marking
form and its error for a score off the scale; the sent scores beside the
others'; the moderation page with its error and after the decision; the
ranking with an offer and an application that may not be awarded; the decide
page with no application that may be awarded. The runner and the checks on
the error summary are the delivery test's.
"""

from django.urls import reverse

from ..conftest import build_world
from ..grants.assessing import (
    assessor,
    closed_round,
    declared,
    marks,
    moderated,
    must_haves,
    on_panel,
    scored,
    sent_marks,
)
from ..grants.factories import CommunityFactory
from .conftest import BROWSER_TEST, load_axe, sign_in
from .test_delivery_accessibility import check, send_with_error

pytestmark = BROWSER_TEST


def _url(name, *args):
    return reverse(f"grants:{name}", args=args)


def test_the_assessing_pages_in_each_state_pass_axe(new_context, live_server):
    from grants import assessment_services as services
    from grants.models import RoundCommunity

    world = build_world()
    grant_round, (to_declare, conflicted, draft, sent) = closed_round(world, applications=4)
    other = assessor(grant_round, world, full_name="Priya Shah")
    on_panel(grant_round, world)
    first = scored(grant_round)[0]
    for application in (conflicted, draft, sent):
        sent_marks(application, other, **{first.title: 1})
    declared(conflicted, world.officer, conflict=True)
    services.save_marks(
        assessment=declared(draft, world.officer),
        values={first.pk: ("2", "A first thought.")},
        by=world.officer,
    )
    sent_marks(sent, world.officer, **{first.title: 4})
    # A second community with no application: nothing to award.
    empty = RoundCommunity.objects.create(round=grant_round, community=CommunityFactory())

    officer = new_context()
    sign_in(officer, live_server, world.officer)
    load_axe(officer)
    page = officer.new_page()
    problems = check(page, _url("my_assessments"), "officer, every next step:")
    problems += check(page, _url("assess", to_declare.pk), "officer, declaring:")
    problems += send_with_error(
        page,
        "Save the declaration",
        "Select yes if you have a conflict of interest with this application",
        "officer:",
    )
    problems += check(page, _url("assess", conflicted.pk), "officer, conflicted:")
    problems += check(page, _url("assess", draft.pk), "officer, a draft:")
    page.locator(f"input[name=mark_{first.pk}][value='2']").check()
    problems += send_with_error(
        page, "Send my scores", f"Enter a comment on {scored(grant_round)[1].title}", "officer:"
    )
    problems += check(page, _url("assess", sent.pk), "officer, sent beside the others:")

    manager = new_context()
    sign_in(manager, live_server, world.manager)
    load_axe(manager)
    page = manager.new_page()
    problems += check(page, _url("round_panel", grant_round.pk), "manager, a panel:")
    problems += check(page, _url("moderate", sent.pk), "manager, a spread of 3:")
    problems += send_with_error(
        page, "Save the moderated scores", "Give the reason for the moderated score", "manager:"
    )
    moderated(sent, world.manager)
    moderated(draft, world.manager, score=2)
    values = {pk: (mark, "R.") for pk, (mark, _) in marks(grant_round).items()}
    must_have = must_haves(grant_round)[0]  # not met: may not be awarded
    values = {
        pk: ("0" if pk == must_have.pk else mark, reason) for pk, (mark, reason) in values.items()
    }
    services.moderate(application=conflicted, values=values, by=world.manager)
    community = grant_round.round_communities.exclude(pk=empty.pk).get()
    problems += check(page, _url("decide", empty.pk), "manager, nothing to award:")
    services.offer_award(
        round_community=community, application=sent, reasons="The best.", by=world.manager
    )
    problems += check(page, _url("round_ranking", grant_round.pk), "manager, an offer made:")
    if "Does not meet the must-have" not in page.locator("main").inner_text():
        problems.append("the ranking does not say why an application may not be awarded")
    problems += check(page, _url("moderate", draft.pk), "manager, after the decision:")

    # The applicant offered the grant: the offer on its application, its terms, and the
    # declaration's error; declining; then, once accepted, the others' scores.
    winner = new_context()
    sign_in(winner, live_server, sent.organisation.memberships.get(role="admin").user)
    load_axe(winner)
    page = winner.new_page()
    problems += check(page, _url("application", sent.pk), "applicant, an offer:")
    problems += check(page, _url("offer", sent.pk), "applicant, the offer's terms:")
    problems += send_with_error(
        page,
        "Accept the grant",
        "Confirm that your organisation accepts the grant agreement's terms",
        "applicant:",
    )
    problems += check(page, _url("offer_decline", sent.pk), "applicant, declining:")
    from grants.offer_services import accept_offer

    accept_offer(
        decision=sent.decisions.get(), by=sent.organisation.memberships.get(role="admin").user,
        declaration_name="Asha Patel",
    )  # fmt: skip
    loser = new_context()
    sign_in(loser, live_server, world.org_a_admin)
    load_axe(loser)
    page = loser.new_page()
    problems += check(page, _url("application", to_declare.pk), "applicant, not successful:")
    assert not problems, f"{len(problems)} problem(s)\n\n" + "\n\n".join(problems)
