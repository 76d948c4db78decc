"""The officer's queues and the distance-travelled list: the same queries and about the
same HTML at 1 row and 200 (a page shows at most listing.PAGE_SIZE rows)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations import listing

from ..conftest import client_for
from ..factories import DiagnosticFactory, EligibilityApplicationFactory, OrganisationFactory
from ..listing import assert_bounded_list


@pytest.mark.parametrize("search", [{}, {"q": "group"}])
def test_the_eligibility_queue_is_the_same_at_1_and_200_applications(world, search):
    client = client_for(world.officer)
    url = reverse("diagnostics:officer_applications")

    def make_rows(n):
        for _ in range(n):
            EligibilityApplicationFactory(status="submitted")

    count = assert_bounded_list(
        make_rows, lambda: client.get(url, search), page_size=listing.PAGE_SIZE
    )
    # 1 session, 2 user, 3 the user's authenticator (staff two-factor check),
    # 4 the area's postcode districts for the filter's choices, 5 the count for
    # the paginator, 6 the page of applications with their organisations (one
    # join), 7 the council priority themes as the filter form renders its select.
    assert count == 7


@pytest.mark.parametrize(
    "status, show",
    [("awaiting_session", "waiting"), ("self_assessment", "in_progress"), ("completed", None)],
)
def test_each_diagnostics_tab_is_the_same_at_1_and_200(world, status, show):
    client = client_for(world.officer)
    url = reverse("diagnostics:officer_diagnostics")
    params = {"show": show or "completed", "q": "group"}

    def make_rows(n):
        for _ in range(n):
            DiagnosticFactory(status=status)

    count = assert_bounded_list(
        make_rows, lambda: client.get(url, params), page_size=listing.PAGE_SIZE
    )
    # 1 session, 2 user, 3 authenticator, 4 every tab's count, 5 the count for
    # the paginator, 6 the page of diagnostics with their organisations.
    assert count == 6


def test_the_distance_travelled_list_is_the_same_at_1_and_200_organisations(world, monkeypatch):
    # Two scored diagnostics an organisation: 200 of them at a page of 50 would
    # take 16,000 scores; a page of 5 and 20 organisations make the same point.
    monkeypatch.setattr(listing, "PAGE_SIZE", 5)
    client = client_for(world.manager)
    url = reverse("diagnostics:distance_travelled")

    def make_rows(n):
        for _ in range(n):
            organisation = OrganisationFactory()
            first = DiagnosticFactory(organisation=organisation, status="completed", score=1)
            first.completed_at = timezone.now() - timedelta(days=365)
            first.save(update_fields=["completed_at"])
            DiagnosticFactory(organisation=organisation, status="completed", score=3)

    count = assert_bounded_list(make_rows, lambda: client.get(url), page_size=5, large=20)
    # 1 session, 2 user, 3 authenticator, 4 the count for the paginator, 5 the
    # page of organisations with two or more completed diagnostics, 6 their
    # completed diagnostics (with questionnaires), 7 the questionnaires'
    # themes, 8 the mean score per diagnostic and theme.
    assert count == 8
