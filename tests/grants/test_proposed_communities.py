"""A community an applicant proposed, added to the round by a manager so it is ranked."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from grants.application_services import submit_application
from grants.assessment_selectors import round_rankings
from grants.assessment_services import AssessmentError
from grants.models import Application, CommunityOfInterest, GrantRound
from grants.proposal_services import recognise_proposed_community

from ..conftest import client_for
from .assessing import another_admin
from .factories import CommunityFactory, close, open_round, quick_fill, start

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "characteristic": "race",
    "name": "Somali community",
    "population": 4_100,
    "population_source": "Leicester Somali Forum survey, 2024",
}


def proposed(grant_round, admin, **changes):
    application = quick_fill(start(grant_round, admin, proposal={**PROPOSAL, **changes}), admin)
    return submit_application(application=application, by=admin, declaration_name="Asha Patel")


def test_adding_a_proposed_community_moves_every_application_proposing_it(world):
    grant_round = open_round(by=world.manager)
    first = proposed(grant_round, world.org_a_admin)
    second = proposed(grant_round, another_admin(), name="SOMALI COMMUNITY")
    other = proposed(grant_round, another_admin(), name="Kurdish community")
    close(grant_round)
    added = recognise_proposed_community(application=first, by=world.manager)
    assert added.community.name == "Somali community"
    assert added.community.population == 4_100
    assert added.community.population_source.startswith("Proposed by an applicant: Leicester")
    moved = Application.objects.filter(round_community=added)
    assert set(moved.values_list("pk", flat=True)) == {first.pk, second.pk}
    other.refresh_from_db()
    assert other.round_community is None and other.proposed_name == "Kurdish community"
    # It is ranked now, with its two applications.
    [ranking] = [r for r in round_rankings(grant_round) if r.round_community == added]
    assert len(ranking.rows) == 2
    event = AuditEvent.objects.get(action="grant_round.proposed_community_added")
    assert event.data["new_community"] is True
    assert sorted(event.data["applications"]) == sorted([first.reference, second.reference])


def test_the_councils_own_community_of_that_name_is_used(world):
    grant_round = open_round(by=world.manager)
    council = CommunityFactory(characteristic="race", name="Somali Community", population=None)
    application = proposed(grant_round, world.org_a_admin)
    added = recognise_proposed_community(application=application, by=world.manager)
    assert added.community == council
    assert CommunityOfInterest.objects.filter(name__iexact="somali community").count() == 1


def test_a_round_whose_total_cannot_cover_another_community_refuses(world):
    grant_round = open_round(by=world.manager)
    application = proposed(grant_round, world.org_a_admin)
    communities = grant_round.round_communities.count()
    GrantRound.objects.filter(pk=grant_round.pk).update(
        total=grant_round.amount_per_community * communities
    )
    with pytest.raises(AssessmentError, match="cannot cover") as refused:
        recognise_proposed_community(application=application, by=world.manager)
    assert refused.value.reason.endswith("Nothing was changed.")
    application.refresh_from_db()
    assert application.round_community is None
    assert not CommunityOfInterest.objects.filter(name="Somali community").exists()


def test_only_a_manager_adds_and_only_a_sent_proposal(world):
    grant_round = open_round(by=world.manager)
    draft = start(grant_round, world.org_a_admin, proposal=PROPOSAL)
    with pytest.raises(AssessmentError, match="Only a manager"):
        recognise_proposed_community(application=draft, by=world.officer)
    with pytest.raises(AssessmentError, match="Only a sent application"):
        recognise_proposed_community(application=draft, by=world.manager)


def test_the_page_confirms_then_adds_and_the_ranking_links_to_it(world):
    grant_round = open_round(by=world.manager)
    application = proposed(grant_round, world.org_a_admin)
    close(grant_round)
    client = client_for(world.manager)
    ranking = client.get(reverse("grants:round_ranking", args=[grant_round.pk])).content.decode()
    url = reverse("grants:recognise_community", args=[application.pk])
    assert url in ranking
    page = client.get(url).content.decode()
    assert "Add the Somali community to the round" in page and "4100" in page
    response = client.post(url)
    assert response.url == reverse("grants:round_ranking", args=[grant_round.pk])
    application.refresh_from_db()
    assert application.round_community.community.name == "Somali community"
    # Asked again, the page says it is done and changes nothing.
    assert client.get(url).status_code == 302


def test_a_refusal_is_shown_in_an_error_summary(world):
    grant_round = open_round(by=world.manager)
    application = proposed(grant_round, world.org_a_admin)
    GrantRound.objects.filter(pk=grant_round.pk).update(
        total=grant_round.amount_per_community * grant_round.round_communities.count()
    )
    url = reverse("grants:recognise_community", args=[application.pk])
    page = client_for(world.manager).post(url).content.decode()
    assert "govuk-error-summary" in page and "cannot cover" in page
    assert "<title>Error:" in page
