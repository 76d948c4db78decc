"""The offer through the pages: its terms, accepting with the declaration, declining with a
reason; who may answer it; what the applicants see on their application afterwards."""

import re

import pytest
from django.urls import reverse

from allowances.models import StrandAward
from grants import assessment_services as assessing
from grants.assessment_models import CommunityDecision, DecisionOutcome

from ..conftest import client_for
from .assessing import COMMENT, moderated, ready_to_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(world):
    grant_round, sent = ready_to_decide(world, applications=2)
    moderated(sent[0], world.manager, score=4)
    decision = assessing.offer_award(
        round_community=sent[0].round_community,
        application=sent[0],
        reasons="Ranked first on the moderated scores.",
        by=world.manager,
    )
    return grant_round, sent, decision


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_application_page_shows_the_offer_and_the_offer_page_its_terms(world, offer):
    grant_round, sent, decision = offer
    client = client_for(world.org_a_admin)
    page = text(client.get(reverse("grants:application", args=[sent[0].pk])))
    assert "You have been offered a grant of £" in page
    assert "Read the terms and accept or decline the offer" in page
    terms = text(client.get(reverse("grants:offer", args=[sent[0].pk])))
    assert "Instalments" in terms and "Conditions" in terms and "Monitoring" in terms
    instalments = grant_round.instalments()
    assert len(instalments) > 1
    for instalment in instalments:
        assert instalment.due_on.strftime("%-d %B %Y") in terms


def test_accepting_through_the_page_needs_the_declaration_and_commits_the_award(world, offer):
    _, sent, decision = offer
    client = client_for(world.org_a_admin)
    url = reverse("grants:offer", args=[sent[0].pk])
    response = client.post(url, {"full_name": "Asha Patel"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert "Confirm that your organisation accepts the grant agreement" in page
    assert CommunityDecision.objects.get(pk=decision.pk).outcome == DecisionOutcome.OFFERED
    response = client.post(url, {"confirm": "on", "full_name": "Asha Patel"})
    assert response.status_code == 302
    assert StrandAward.objects.filter(reference=sent[0].reference).exists()
    after = text(client.get(reverse("grants:application", args=[sent[0].pk]), follow=True))
    assert "accepted the grant of £" in after
    # The offer has been answered: its page is gone.
    assert client.get(url).status_code == 404


def test_declining_through_the_page_keeps_what_was_typed_when_the_reason_is_missing(world, offer):
    _, sent, decision = offer
    client = client_for(world.org_a_admin)
    url = reverse("grants:offer_decline", args=[sent[0].pk])
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert "Enter why you are declining the offer" in response.content.decode()
    response = client.post(url, {"reason": "Our trustees cannot take it on."})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.outcome == DecisionOutcome.DECLINED
    assert decision.decline_reason == "Our trustees cannot take it on."


def test_only_the_organisations_administrators_open_the_offer(world, offer):
    _, sent, _ = offer
    for name in ("grants:offer", "grants:offer_decline"):
        url = reverse(name, args=[sent[0].pk])
        assert client_for(world.org_a_member).get(url).status_code == 403
        assert client_for(world.org_b_admin).get(url).status_code == 404
        assert client_for(world.officer).get(url).status_code == 404
        assert client_for(None).get(url).status_code == 302  # to sign in
    # The second-ranked applicant has no offer: no page.
    other = client_for(sent[1].organisation.memberships.get().user)
    assert other.get(reverse("grants:offer", args=[sent[1].pk])).status_code == 404


def test_the_unsuccessful_see_their_scores_only_once_the_award_is_final(world, offer):
    _, sent, decision = offer
    other = client_for(sent[1].organisation.memberships.get().user)
    url = reverse("grants:application", args=[sent[1].pk])
    before = text(other.get(url))
    assert "not successful" not in before and COMMENT not in before
    client_for(world.org_a_admin).post(
        reverse("grants:offer", args=[sent[0].pk]), {"confirm": "on", "full_name": "Asha Patel"}
    )
    after = text(other.get(url))
    assert "Your application was not successful" in after
    assert "Ranked first on the moderated scores." in after
    assert COMMENT in after and "out of 4" in after
    # Never another applicant's scores: the winner's page shows no feedback.
    winner = text(
        client_for(world.org_a_admin).get(reverse("grants:application", args=[sent[0].pk]))
    )
    assert COMMENT not in winner
