"""The officer queue and the distance-travelled list: the same queries at 1 and 50 rows."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from ..conftest import assert_constant_queries, client_for
from ..factories import DiagnosticFactory, EligibilityApplicationFactory, OrganisationFactory


def test_the_officer_queue_runs_a_fixed_number_of_queries(world):
    client = client_for(world.officer)
    url = reverse("diagnostics:officer_applications")

    def make_rows(n):
        for _ in range(n):
            EligibilityApplicationFactory(status="submitted")

    count = assert_constant_queries(make_rows, lambda: client.get(url))
    # 1 session, 2 user, 3 the user's authenticator (staff two-factor check),
    # 4 the area's postcode districts for the filter's choices, 5 the
    # applications with their organisations (one join), 6 the council priority
    # themes as the filter form renders its select.
    assert count == 6


def test_the_distance_travelled_list_runs_a_fixed_number_of_queries(world):
    client = client_for(world.manager)
    url = reverse("diagnostics:distance_travelled")

    def make_rows(n):
        for _ in range(n):
            organisation = OrganisationFactory()
            first = DiagnosticFactory(organisation=organisation, status="completed", score=1)
            first.completed_at = timezone.now() - timedelta(days=365)
            first.save(update_fields=["completed_at"])
            DiagnosticFactory(organisation=organisation, status="completed", score=3)

    count = assert_constant_queries(make_rows, lambda: client.get(url))
    # 1 session, 2 user, 3 authenticator, 4 the completed diagnostics of
    # organisations with two or more (with organisation and questionnaire),
    # 5 the questionnaires' themes, 6 the mean score per diagnostic and theme.
    assert count == 6
