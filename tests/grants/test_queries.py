"""The grant pages read a fixed number of queries, however many rounds, communities or criteria."""

import pytest
from django.urls import reverse

from grants import services

from ..conftest import assert_constant_queries, client_for, count_queries
from ..factories import ManagerFactory
from .factories import CommunityFactory, draft_round, open_round

pytestmark = pytest.mark.django_db

SCORED = {
    "section": "eligibility",
    "kind": "scored",
    "title": "Another criterion",
    "question": "Why?",
    "guidance": "Because.",
    "word_limit": 100,
    "weight": 2,
    "minimum_score": None,
}


def test_the_round_list_reads_the_same_queries_at_1_and_12_rounds():
    manager = ManagerFactory()
    client = client_for(manager)

    def make_rounds(n):
        for _ in range(n):
            draft_round(by=manager, communities=1)

    count = assert_constant_queries(
        make_rounds, lambda: client.get(reverse("grants:rounds")), small=1, large=12
    )
    # The session, the manager, their authenticators (the middleware's code check),
    # the count of rounds, and the page of rounds with their strand, year and the
    # counts of communities and criteria (subqueries, in the same query).
    assert count == 5


def test_the_public_round_reads_the_same_queries_with_1_or_many_communities_and_criteria():
    manager = ManagerFactory()
    grant_round = open_round(by=manager, communities=1)
    url = reverse("grants:public_round", args=[grant_round.pk])
    client = client_for(None)
    scored = grant_round.criteria.filter(kind="scored").order_by("position")
    grant_round.criteria.exclude(pk=scored.first().pk).delete()  # one criterion left

    client.get(url)
    with count_queries() as one:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["round"].criteria_list) == 1

    for n in range(10):  # added as the database would hold them; the round is published
        CommunityFactory(name=f"Community {n}").round_entries.create(round=grant_round)
        grant_round.criteria.create(position=100 + n, **SCORED)
    with count_queries() as many:
        response = client.get(url)
    assert len(response.context["round"].open_communities) == 11
    assert len(response.context["round"].criteria_list) == 11
    # The round, its communities with each community, its criteria, its scale.
    assert len(one) == len(many) == 4, "\n".join(q["sql"] for q in many.captured_queries)


def test_the_public_list_reads_the_same_queries_at_1_and_6_rounds():
    manager = ManagerFactory()
    client = client_for(None)

    def make_rounds(n):
        for _ in range(n):
            open_round(by=manager, communities=2)

    count = assert_constant_queries(
        make_rounds, lambda: client.get(reverse("grants:public_rounds")), small=1, large=6
    )
    # The count of rounds, the page of them, and their communities with each community.
    assert count == 3


def test_the_check_page_reads_the_same_queries_whatever_the_round_holds():
    manager = ManagerFactory()
    client = client_for(manager)
    grant_round = draft_round(by=manager, communities=1)
    url = reverse("grants:round_detail", args=[grant_round.pk])
    client.get(url)
    with count_queries() as few:
        client.get(url)
    services.set_round_communities(
        grant_round=grant_round, by=manager, communities=CommunityFactory.create_batch(8)
    )
    for _ in range(5):
        services.add_criterion(grant_round=grant_round, by=manager, data=SCORED)
    with count_queries() as many:
        client.get(url)
    # The session, the manager, their authenticators; the round with its strand
    # and year, its communities, criteria and scale; its history with each actor.
    assert len(few) == len(many) == 8, "\n".join(q["sql"] for q in many.captured_queries)
