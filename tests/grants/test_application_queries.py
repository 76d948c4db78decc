"""The application pages read a fixed number of queries, however many answers or applications."""

import pytest
from django.urls import reverse

from grants import application_rules as moves
from grants.application_services import save_answer
from grants.models import Application

from ..conftest import assert_constant_queries, client_for, count_queries
from ..factories import MembershipFactory
from .factories import open_round, quick_fill, start

pytestmark = pytest.mark.django_db


def test_the_task_list_reads_the_same_queries_with_1_or_every_answer(world):
    grant_round = open_round(by=world.manager)
    application = start(grant_round, world.org_a_admin)
    client = client_for(world.org_a_admin)
    url = reverse("grants:application", args=[application.pk])
    criteria = [c for c in grant_round.criteria.all() if moves.needs_answer(c.automatic_check)]
    save_answer(application=application, criterion=criteria[0], text="One", by=world.org_a_admin)
    client.get(url)
    with count_queries() as one:
        response = client.get(url)
    assert len(response.context["state"].answers) == 1
    for criterion in criteria[1:]:
        save_answer(application=application, criterion=criterion, text="More", by=world.org_a_admin)
    with count_queries() as every:
        response = client.get(url)
    assert len(response.context["state"].answers) == len(criteria) > 10
    # The session, the user, the membership with its organisation, the application
    # with its round, organisation and community; the criteria, the answers, the
    # evidence, the consortium members with theirs, and the postcode table.
    assert len(one) == len(every) == 9, "\n".join(q["sql"] for q in every.captured_queries)


def test_the_round_list_of_applications_reads_the_same_queries_at_1_and_20(world):
    grant_round = open_round(by=world.manager, communities=3)
    entries = list(grant_round.round_communities.all())
    client = client_for(world.manager)
    url = reverse("grants:round_applications", args=[grant_round.pk])
    made = []

    def make_applications(n):
        from grants.application_services import submit_application

        for i in range(n):
            admin = MembershipFactory(role="admin").user
            entry = entries[(len(made) + i) % len(entries)]
            application = quick_fill(start(grant_round, admin, community=entry), admin)
            submit_application(application=application, by=admin, declaration_name="A")
        made.extend(range(n))

    count = assert_constant_queries(make_applications, lambda: client.get(url), small=1, large=20)
    assert Application.objects.filter(status="submitted").count() == 20
    # The session, the manager, their authenticators; the round; each community
    # with its counts; the proposed communities' count; the count and the page
    # of applications with their organisations, communities and member counts.
    assert count == 8
