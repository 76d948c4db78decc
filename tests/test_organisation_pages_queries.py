"""The pages composed in the wiring layer run a fixed set of queries, all from the view."""

from django.urls import reverse

from .conftest import client_for, count_queries


def _queries(client, url):
    client.get(url)  # warm per-process caches out of the count
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_organisation_home_page_runs_nine_queries(world):
    # session, user, membership with its organisation, priority themes; latest
    # application, decision and diagnostic (progress); counting packages' dates
    # and cap policy versions (allowance).
    assert _queries(client_for(world.org_a_admin), reverse("organisation_home")) == 9


def test_the_officer_view_of_an_organisation_runs_nine_queries(world):
    # session, user, TOTP check (staff two-factor), organisation; counting
    # packages' dates and cap policy versions (allowance); themes, history, members.
    url = reverse("officer_organisation_detail", args=[world.org_a.pk])
    assert _queries(client_for(world.officer), url) == 9
