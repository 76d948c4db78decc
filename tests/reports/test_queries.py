"""Each report issues the same queries at 1 and at 50 rows per breakdown.

Every staff page starts with three: the session, the user, and the staff
two-factor middleware's check for an authenticator. The rest are named beside
each count.
"""

import pytest
from django.urls import reverse

from reports.open_data_files import queue_build
from tests.conftest import assert_constant_queries, client_for
from tests.factories import ManagerFactory, StaffFactory

from .conftest import YEAR

pytestmark = pytest.mark.django_db

SESSION = 3  # the session, the user, the two-factor check


def pin(make_rows, url, params=None, user_factory=ManagerFactory):
    client = client_for(user_factory())

    def fetch():
        response = client.get(url, params or {})
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # the queries run as the file streams
        return response

    return assert_constant_queries(make_rows, fetch)


def test_the_dashboard(make_rows):
    # budget years; the year's strands with their ledger sums; the ledger by month
    assert pin(make_rows, reverse("reports:budget_dashboard"), {"year": YEAR}) == SESSION + 3


@pytest.mark.parametrize(
    "slug", ["package", "provider", "district", "theme", "legal_form", "income_band", "month"]
)
def test_each_breakdown(make_rows, slug):
    # budget years (for the filter); the grouped rows; the totals
    url = reverse(f"reports:breakdown_{slug}")
    assert pin(make_rows, url, {"year": "all"}) == SESSION + 3


@pytest.mark.parametrize(
    "slug", ["package", "provider", "district", "theme", "legal_form", "income_band", "month"]
)
def test_each_breakdown_download(make_rows, slug):
    # budget years; the totals; the grouped rows
    url = reverse(f"reports:breakdown_{slug}")
    assert pin(make_rows, url, {"year": "all", "download": "xlsx"}) == SESSION + 3


def test_the_ledger_page(make_rows):
    # budget years; the package and theme choices of the filter form (the provider is
    # a text field); the count for the paginator; the page of entries; the sums
    assert pin(make_rows, reverse("reports:ledger"), {"year": "all"}) == SESSION + 6


def test_the_ledger_download(make_rows):
    # budget years; the entries, streamed (one query: fewer than 2,000 rows)
    url = reverse("reports:ledger")
    assert pin(make_rows, url, {"year": "all", "download": "csv"}) == SESSION + 2


def test_caps_in_practice(make_rows):
    # budget years; cap policies; the register's size; organisations by count (one grouped
    # scan of the counting packages, not a subquery per organisation); packages' override
    # and expiry totals; the overrides listed; the expired packages listed
    assert pin(make_rows, reverse("reports:caps"), {"year": YEAR}) == SESSION + 7


def test_reach_and_impact(make_rows):
    # budget years; organisations supported, by theme, by district; the diagnostic
    # summary; theme means before; theme means after
    assert pin(make_rows, reverse("reports:reach"), {"year": YEAR}) == SESSION + 7


def test_operations(make_rows):
    # the deadlines; the managers' one-off days off (the officers' review counts working
    # days); applications: totals, oldest; sessions: totals, oldest; packages with no
    # provider: totals, oldest; failed emails
    assert pin(make_rows, reverse("reports:operations"), user_factory=StaffFactory) == SESSION + 9


def test_providers(make_rows):
    # budget years; counts and ratings per provider; medians per provider; spend per provider
    assert pin(make_rows, reverse("reports:providers"), {"year": YEAR}) == SESSION + 4


@pytest.mark.parametrize(
    "name, kind",
    [
        ("grants_360_json", "360giving_json"),
        ("grants_360_csv", "360giving_csv"),
        ("transparency_csv", "transparency_csv"),
    ],
)
def test_open_data_downloads(make_rows, open_data_storage, name, kind):
    queue_build(kind, None)  # built in the background (here, at once); served from storage
    # the newest build of the file (then the file streams from storage, not the database)
    assert pin(make_rows, reverse(f"reports:{name}")) == SESSION + 1


def test_the_open_data_page(make_rows, open_data_storage):
    queue_build("360giving_json", YEAR)
    # budget years; the fingerprint (one query of counts and newest changes); the builds
    assert pin(make_rows, reverse("reports:open_data")) == SESSION + 3
