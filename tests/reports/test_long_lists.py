"""Reports whose rows grow with the register: the largest on the page, all of them as CSV;
the ledger filter's provider is a search field, not a drop-down of every provider."""

import csv
import io
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from delivery.models import ProviderRequest
from reports import breakdown_views, insight_views

from ..conftest import client_for
from ..factories import ManagerFactory
from ..listing import assert_bounded_list
from .conftest import YEAR, RowMaker

pytestmark = pytest.mark.django_db
PROVIDERS = reverse("reports:providers")
BY_PROVIDER = reverse("reports:breakdown_provider")
LEDGER = reverse("reports:ledger")
# RowMaker's rows are a package, a provider and its ledger entries each: a top 5
# and 30 rows make the point the top 25 and 200 rows would, in a fraction of the time.
SMALL_TOP = 5


@pytest.fixture
def small_top(monkeypatch):
    monkeypatch.setattr(insight_views, "TOP_PROVIDERS", SMALL_TOP)
    monkeypatch.setattr(breakdown_views, "TOP_ROWS", {"provider": SMALL_TOP})


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_the_providers_page_is_the_same_at_1_and_many_providers(small_top):
    make_rows, client = RowMaker(), client_for(ManagerFactory())
    count = assert_bounded_list(
        make_rows, lambda: client.get(PROVIDERS, {"year": YEAR}), page_size=SMALL_TOP, large=30
    )
    # session, user, authenticator; budget years; counts and ratings per
    # provider; medians per provider; spend per provider
    assert count == 7


def test_the_breakdown_by_provider_is_the_same_at_1_and_many_providers(small_top):
    make_rows, client = RowMaker(), client_for(ManagerFactory())
    count = assert_bounded_list(
        make_rows, lambda: client.get(BY_PROVIDER, {"year": "all"}), page_size=SMALL_TOP, large=30
    )
    # session, user, authenticator; budget years; the grouped rows; the totals
    assert count == 6


def test_the_providers_page_shows_the_top_paid_and_downloads_every_provider():
    make_rows, client = RowMaker(), client_for(ManagerFactory())
    make_rows(insight_views.TOP_PROVIDERS + 5)  # every third row has spend (RowMaker)
    response = client.get(PROVIDERS, {"year": YEAR})
    rows = response.context["rows"]
    assert len(rows) == insight_views.TOP_PROVIDERS
    assert response.context["provider_count"] == insight_views.TOP_PROVIDERS + 5
    spent = [row.spent for row, _ in rows]
    assert spent == sorted(spent, reverse=True) and spent[0] == Decimal("90.00")
    content = response.content.decode()
    assert f"The {insight_views.TOP_PROVIDERS} providers paid the most, of 30" in content
    assert f'href="?year={YEAR}&amp;download=csv">Download all 30 providers (CSV)</a>' in content

    download = client.get(PROVIDERS, {"year": YEAR, "download": "csv"})
    assert download["Content-Disposition"] == f'attachment; filename="providers-{YEAR}.csv"'
    header, *lines = read_csv(download)
    assert header[0] == "Provider" and header[-2:] == ["Spent (£)", "Share of spend (%)"]
    assert len(lines) == 30
    assert {line[0] for line in lines} == set(
        ProviderRequest.objects.values_list("provider__name", flat=True)
    )


def test_each_providers_row_links_to_the_entries_of_its_spend():
    RowMaker()(1)
    client = client_for(ManagerFactory())
    [(row, link)] = client.get(PROVIDERS, {"year": YEAR}).context["rows"]
    assert urlsplit(link).path == LEDGER
    assert parse_qs(urlsplit(link).query) == {
        "year": [str(YEAR)], "provider": [str(row.pk)], "figure": ["spent"]
    }  # fmt: skip
    entries = client.get(link)
    assert entries.context["total"]["spent"] == Decimal("90.00")
    assert f"Entries for packages {row.name} accepted." in entries.content.decode()


def test_the_breakdown_by_provider_shows_the_largest_and_downloads_every_row():
    make_rows, client = RowMaker(), client_for(ManagerFactory())
    top = breakdown_views.TOP_ROWS["provider"]
    make_rows(top + 3)
    response = client.get(BY_PROVIDER, {"year": "all"})
    assert len(response.context["rows"]) == top
    assert response.context["row_count"] == top + 3
    content = response.content.decode()
    assert f"The {top} largest of {top + 3} rows" in content
    assert f"Download all {top + 3} rows by provider (CSV)" in content
    header, *lines = read_csv(client.get(BY_PROVIDER, {"year": "all", "download": "csv"}))
    assert header[0] == "Provider" and len(lines) == top + 3


def test_other_breakdowns_show_every_row():
    make_rows, client = RowMaker(), client_for(ManagerFactory())
    make_rows(breakdown_views.TOP_ROWS["provider"] + 3)
    response = client.get(reverse("reports:breakdown_district"), {"year": "all"})
    assert len(response.context["rows"]) == response.context["row_count"] == 28


def test_the_ledger_finds_a_provider_by_part_of_its_name():
    make_rows, client = RowMaker(), client_for(ManagerFactory())
    make_rows(3)
    request = ProviderRequest.objects.select_related("provider").first()
    name = request.provider.name
    response = client.get(LEDGER, {"year": "all", "provider_name": f"  {name.upper()[3:]} "})
    assert response.status_code == 200
    entries = {e.agreed_package_id for e in response.context["page"]}
    assert entries == {request.agreed_package_id}
    nobody = client.get(LEDGER, {"year": "all", "provider_name": "nobody at all"})
    assert nobody.context["page"].paginator.count == 0


def test_the_ledger_filter_renders_no_provider_drop_down():
    RowMaker()(3)
    content = client_for(ManagerFactory()).get(LEDGER, {"year": "all"}).content.decode()
    assert 'name="provider_name"' in content and 'type="text"' in content
    assert 'type="hidden" name="provider"' in content
    assert "<select" in content  # the other filters' drop-downs are still there
    assert "Any provider" not in content and "Training Provider" not in content


def test_each_ledger_row_links_to_its_agreed_package():
    RowMaker()(2)
    response = client_for(ManagerFactory()).get(LEDGER, {"year": "all"})
    for entry in response.context["page"]:
        url = reverse("allowances:agreed_package_detail", args=[entry.agreed_package_id])
        assert entry.package_url == url
        assert f'href="{url}"' in response.content.decode()
