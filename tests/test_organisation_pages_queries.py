"""The pages composed in the wiring layer run a fixed set of queries, all from the view."""

from django.urls import reverse

from .conftest import client_for, count_queries


def _queries(client, url):
    client.get(url)  # warm per-process caches out of the count
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_organisation_home_page_runs_ten_queries(world):
    # session, user, membership with its organisation, priority themes; latest
    # application, decision and diagnostic (progress); counting packages' dates,
    # cap policy versions and the eligibility decision (allowance: "available
    # now" only when the organisation is eligible too).
    assert _queries(client_for(world.org_a_admin), reverse("organisation_home")) == 10


def test_the_officer_view_of_an_organisation_runs_sixteen_queries(world):
    # session, user, TOTP check (staff two-factor), organisation; themes, members;
    # the latest few, with the count, of eligibility applications, diagnostics,
    # agreed packages, provider requests and claims (vcs_support.organisation_records);
    # the organisation's things, then their history; counting packages' dates, cap
    # policy versions and the eligibility decision (allowance). The same with many
    # records: tests/organisations/test_officer_organisation_view.py.
    url = reverse("officer_organisation_detail", args=[world.org_a.pk])
    assert _queries(client_for(world.officer), url) == 16
