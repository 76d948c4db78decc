"""The public's pages of representatives: only the published parts, in a fixed number of queries."""

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from allowances.award_services import commit_award
from grants.assessment_models import CommunityDecision
from grants.models import Answer
from grants.monitoring_services import accept_report, send_report

from ..conftest import assert_constant_queries, client_for, count_queries
from ..factories import OrganisationFactory
from .concern_support import WHAT_HAPPENED, awarded, closed, confirmed, raised, responded
from .factories import CommunityFactory
from .monitoring import ANSWERS, under_way

pytestmark = pytest.mark.django_db

MANDATE = "We will hold open meetings in each of the city's gurdwaras every quarter."
NOT_PUBLISHED = "Our accounts show reserves of three months."


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def decision(world):
    decision = awarded(world.manager, world.org_a_admin)
    answers = Answer.objects.filter(application=decision.application).select_related("criterion")
    for answer in answers:
        representation = answer.criterion.section == "representation"
        answer.text = f"{MANDATE} ({answer.criterion.title})" if representation else NOT_PUBLISHED
        answer.save(update_fields=["text"])
    return decision


def page_of(decision, client=None):
    client = client or client_for(None)
    return client.get(reverse("grants:representative", args=[decision.pk]))


def accept_next_report(decision, world):
    report = decision.reports.filter(status="due").order_by("period").first()
    send_report(
        report=report,
        answers=ANSWERS,
        by=world.org_a_admin,
        today=report.period_ends_on + timedelta(days=1),
    )
    return accept_report(report=report, by=world.officer)


def test_the_page_shows_the_community_period_mandate_and_how_to_raise_a_concern(world, decision):
    response = page_of(decision)
    assert response.status_code == 200
    page = text(response)
    grant_round = decision.round_community.round
    community = decision.round_community.community
    assert world.org_a.name in page
    assert f"{community.name} (religion or belief)" in page
    assert (
        f"{grant_round.period_starts_on:%-d %B %Y} to {grant_round.period_ends_on:%-d %B %Y}"
        in (page)
    )
    representation = grant_round.criteria.filter(section="representation")
    assert representation.count() == 5
    for criterion in representation:
        assert criterion.title in page
        assert f"{MANDATE} ({criterion.title})" in page
    assert "Feeding back to those you represent" in page  # how, and by which channels
    assert reverse("grants:concern_raise", args=[decision.pk]) in response.content.decode()


def test_the_page_never_shows_other_answers_scores_evidence_or_peoples_names(world, decision):
    page = text(page_of(decision))
    assert NOT_PUBLISHED not in page
    assert decision.application.reference not in page  # nothing leads to the application
    for criterion in decision.round_community.round.criteria.exclude(section="representation"):
        assert criterion.title not in page
    for person in (world.org_a_admin, world.manager, world.officer):
        assert person.full_name not in page and person.email not in page
    assert "Asha Patel" not in page  # the declaration's name
    assert "Ranked first" not in page  # the decision's reasons
    assert "score" not in page.lower()


def test_only_accepted_reports_are_published(world):
    decision = under_way(world)
    accept_next_report(decision, world)
    second = decision.reports.get(period=2)
    send_report(
        report=second,
        answers={**ANSWERS, "engagement_activities": "Sent, not accepted yet."},
        by=world.org_a_admin,
        today=second.period_ends_on + timedelta(days=1),
    )
    page = text(page_of(decision))
    assert "Report 1:" in page and ANSWERS["engagement_activities"] in page
    assert ANSWERS["issues_raised"] in page and "120" in page
    assert "Report 2:" not in page and "Sent, not accepted yet." not in page


def test_concerns_are_counted_by_outcome_and_never_quoted(world, decision):
    raised(decision, email="unconfirmed@example.org")  # changes nothing, so not counted
    confirmed(decision, email="open1@example.org")
    responded(decision, world.org_a_admin, email="open2@example.org", name="Gurpreet Kaur")
    closed(decision, world.org_a_admin, world.officer, "advice", email="c1@example.org")
    closed(decision, world.org_a_admin, world.officer, "advice", email="c2@example.org")
    closed(decision, world.org_a_admin, world.officer, "no_action", email="c3@example.org")
    response = page_of(decision)
    page = text(response)
    counts = response.context["counts"]
    assert counts.open == 2 and counts.closed == 3
    assert dict(counts.by_outcome) == {
        "No action": 1,
        "Advice given to the representative": 2,
        "Improvement plan agreed with the representative": 0,
        "Review of the grant": 0,
    }
    assert "2 concerns are being looked into." in page
    assert "3 concerns have an outcome" in page
    assert "Advice given to the representative 2" in page
    assert WHAT_HAPPENED not in page and "Gurpreet Kaur" not in page
    for address in ("open1", "open2", "c1", "c2", "c3", "unconfirmed"):
        assert f"{address}@example.org" not in page


def test_only_an_accepted_award_has_a_page(world, decision):
    CommunityDecision.objects.filter(pk=decision.pk).update(
        outcome="declined", award=None, decline_reason="Declined."
    )
    assert page_of(decision).status_code == 404
    assert client_for(None).get(reverse("grants:representative", args=[999999])).status_code == (
        404
    )


def test_the_page_reads_the_same_queries_with_one_of_each_or_many(world):
    decision = under_way(world)
    client = client_for(None)
    emails = iter(f"person{n}@example.org" for n in range(100))

    def make_rows(n):
        for _ in range(n):
            accept_next_report(decision, world)
            closed(decision, world.org_a_admin, world.officer, email=next(emails))
            confirmed(decision, email=next(emails), ip=next(emails))

    count = assert_constant_queries(make_rows, lambda: page_of(decision, client), small=1, large=2)
    # The representative with its organisation, community and round; its mandate's answers
    # with their criteria; its accepted reports; the concern counts (one aggregate); the
    # yearly verdicts (none closed here, so no ratings query).
    assert count == 5


def test_the_list_is_paginated_in_a_fixed_number_of_queries(world, decision):
    client = client_for(None)
    url = reverse("grants:representatives")
    response = client.get(url)
    assert world.org_a.name in text(response)
    assert reverse("grants:representative", args=[decision.pk]) in response.content.decode()
    with count_queries() as queries:
        client.get(url)
    # The count and the page, with each one's organisation, community and round.
    assert len(queries) == 2

    # 50 more representatives, as the database would hold them (the page never writes):
    # each an accepted decision with its award committed on the ledger.
    for n in range(50):
        grant_round = decision.round_community.round
        community = CommunityFactory(name=f"Community {n:02d}")
        award = commit_award(
            strand=grant_round.strand,
            organisation=OrganisationFactory(),
            amount=Decimal("1.00"),
            reference=f"VCS-GRA-9{n:05d}",
            title=f"Representation grant: {community.name}",
            starts_on=grant_round.period_starts_on,
            ends_on=grant_round.period_ends_on,
            by=world.manager,
        )
        other = CommunityDecision.objects.get(pk=decision.pk)
        other.pk, other.award = None, award
        other.round_community = grant_round.round_communities.create(community=community)
        other.save()
    with count_queries() as queries:
        response = client.get(url)
    assert len(queries) == 2
    assert response.context["page"].paginator.num_pages == 2
    assert "Page 2 of 2" in text(client.get(url, {"page": 2}))
