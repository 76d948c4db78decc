"""Every figure against the ledger worked out by hand in conftest.py."""

from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from allowances.models import LedgerEntry
from tests.conftest import client_for

from .conftest import YEAR

D = Decimal


def dashboard(hand_ledger, **params):
    client = client_for(hand_ledger["manager"])
    return client.get(reverse("reports:budget_dashboard"), {"year": YEAR, **params})


def test_the_dashboard_shows_each_strand_and_the_total_from_the_ledger(hand_ledger):
    response = dashboard(hand_ledger)
    strands = {s["kind"]: s for s in response.context["strands"]}
    vcs = strands["vcs_support"]
    assert (vcs["budget"], vcs["committed"], vcs["spent"], vcs["available"]) == (
        D("100000.00"), D("2000.00"), D("1800.00"), D("96200.00"),
    )  # fmt: skip
    assert (vcs["committed_pct"], vcs["spent_pct"], vcs["available_pct"]) == (
        D("2.0"), D("1.8"), D("96.2"),
    )  # fmt: skip
    volunteering = strands["volunteering"]
    assert (volunteering["committed"], volunteering["available"]) == (D("1000.00"), D("49000.00"))
    assert strands["community_cohesion"]["available"] == D("60000.00")
    total = response.context["total"]
    assert (total["budget"], total["committed"], total["spent"], total["available"]) == (
        D("210000.00"), D("3000.00"), D("1800.00"), D("205200.00"),
    )  # fmt: skip
    assert response.context["unallocated"] == D("240000.00")
    content = response.content.decode()
    assert "£96,200.00" in content and "£205,200.00" in content


def test_the_month_by_month_table_follows_the_entries_dates(hand_ledger):
    months = {m.month: m for m, _ in dashboard(hand_ledger).context["months"]}
    assert months[date(2025, 5, 1)].commitments == D("2000.00")
    july = months[date(2025, 7, 1)]
    assert (july.commitments, july.releases, july.spent) == (D("3500"), D("2000"), D("1800"))
    assert july.cumulative_used == D("5300.00")  # 2,000 − 2,000 + 1,800 + 3,500
    assert months[date(2025, 9, 1)].releases == D("3500.00")
    assert months[date(2025, 10, 1)].cumulative_used == D("4800.00")  # 3,000 + 1,800
    assert months[date(2026, 3, 1)].cumulative_used == D("4800.00")
    assert months[date(2026, 3, 1)].even_spend == D("210000.00")
    assert months[date(2025, 4, 1)].even_spend == D("17500.00")


def test_the_forecast_is_the_run_rate_sentence(hand_ledger):
    forecast = dashboard(hand_ledger).context["forecast"]
    # 2025/26 is over (the tests run later): the outturn is what was used.
    assert forecast.amount == D("4800.00")
    assert "£4,800.00" in forecast.explanation


def test_the_chart_is_an_svg_with_a_name_and_its_table(hand_ledger):
    content = dashboard(hand_ledger).content.decode()
    assert '<svg class="report-chart"' in content
    assert 'role="img"' in content and 'aria-labelledby="chart-title chart-desc"' in content
    assert "Month by month, in figures" in content
    assert "<script" not in content.split("<svg")[1].split("</svg>")[0]


def _entries_behind(client, link):
    """The ledger entries a figure's link leads to, summed by kind."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    response = client.get(reverse("reports:ledger"), query)
    assert response.status_code == 200
    return response.context["total"], response.context["page"].paginator.count


def test_each_strand_figure_links_to_exactly_the_entries_behind_it(hand_ledger):
    client = client_for(hand_ledger["manager"])
    response = dashboard(hand_ledger)
    vcs = next(s for s in response.context["strands"] if s["kind"] == "vcs_support")
    total, count = _entries_behind(client, vcs["committed_link"])
    assert total["committed"] == D("2000.00") and total["spent"] == 0
    assert count == 5  # three commitments, two releases
    total, count = _entries_behind(client, vcs["spent_link"])
    assert (total["spent"], count) == (D("1800.00"), 1)


def breakdown(hand_ledger, slug, **params):
    client = client_for(hand_ledger["manager"])
    response = client.get(reverse(f"reports:breakdown_{slug}"), {"year": YEAR, **params})
    assert response.status_code == 200
    return {row.label: (row, links) for row, links in response.context["rows"]}, response


def figures(row):
    return (row.committed, row.spent, row.packages, row.organisations)


def test_by_package(hand_ledger):
    rows, response = breakdown(hand_ledger, "package")
    assert figures(rows["Finance"][0]) == (D("2000.00"), D("1800.00"), 2, 2)
    assert figures(rows["Governance"][0]) == (D("0.00"), D("0.00"), 1, 1)
    assert figures(rows["Volunteers"][0]) == (D("1000.00"), D("0.00"), 1, 1)
    assert rows["Finance"][0].share == D("79.2")  # 3,800 of 4,800
    assert list(rows)[0] == "Finance"  # largest first
    assert response.context["total"]["used"] == D("4800.00")


def test_by_district(hand_ledger):
    rows, _ = breakdown(hand_ledger, "district")
    assert figures(rows["LE2"][0]) == (D("2000.00"), D("1800.00"), 2, 2)
    assert figures(rows["LE4"][0]) == (D("0.00"), D("0.00"), 1, 1)
    assert figures(rows["LE5"][0]) == (D("1000.00"), D("0.00"), 1, 1)


def test_by_theme_counts_an_organisation_under_each_of_its_themes(hand_ledger):
    rows, response = breakdown(hand_ledger, "theme")
    assert figures(rows["Children and young people"][0]) == (D("2000.00"), D("1800.00"), 2, 2)
    assert figures(rows["Health"][0]) == (D("2000.00"), D("0.00"), 2, 2)  # B cancelled, C open
    assert figures(rows["Sport"][0]) == (D("1000.00"), D("0.00"), 1, 1)
    # The total is the ledger's, not the sum of the rows.
    assert response.context["total"]["committed"] == D("3000.00")


def test_by_legal_form_and_income_band(hand_ledger):
    rows, _ = breakdown(hand_ledger, "legal_form")
    assert figures(rows["Community interest company (CIC)"][0]) == (D("2000.00"), 0, 2, 2)
    assert figures(rows["Registered charity"][0]) == (0, D("1800.00"), 1, 1)
    rows, _ = breakdown(hand_ledger, "income_band")
    assert figures(rows["Under £10,000"][0]) == (D("1000.00"), D("1800.00"), 2, 2)
    assert figures(rows["£10,000 to £100,000"][0]) == (D("2000.00"), 0, 2, 2)


def test_by_month(hand_ledger):
    rows, _ = breakdown(hand_ledger, "month")
    assert list(rows) == [
        "May 2025", "July 2025", "August 2025", "September 2025", "October 2025",
    ]  # fmt: skip
    july = rows["July 2025"][0]
    assert (july.commitments, july.releases, july.spent) == (D("3500"), D("2000"), D("1800"))


def test_breakdowns_filter_by_strand_and_date(hand_ledger):
    rows, _ = breakdown(hand_ledger, "package", strand="volunteering")
    assert list(rows) == ["Volunteers"]
    rows, _ = breakdown(hand_ledger, "package", date_from="2025-07-01", date_to="2025-07-31")
    assert set(rows) == {"Finance", "Governance"}
    assert rows["Finance"][0].spent == D("1800.00")
    rows, _ = breakdown(hand_ledger, "package", year=YEAR + 1)
    assert rows == {}


def test_every_breakdown_figure_adds_up_to_its_entries(hand_ledger):
    """Follow every link on every breakdown: the ledger page's sum is the figure."""
    client = client_for(hand_ledger["manager"])
    for slug in ("package", "district", "theme", "legal_form", "income_band", "month"):
        rows, _ = breakdown(hand_ledger, slug)
        for label, (row, links) in rows.items():
            committed, _ = _entries_behind(client, links["committed"])
            spent, _ = _entries_behind(client, links["spent"])
            assert committed["committed"] == row.committed, (slug, label)
            assert spent["spent"] == row.spent, (slug, label)
            assert committed["spent"] == 0 and spent["committed"] == 0, (slug, label)


def test_the_ledger_page_lists_the_entries_with_their_sums(hand_ledger):
    client = client_for(hand_ledger["manager"])
    response = client.get(reverse("reports:ledger"), {"year": YEAR})
    assert response.context["page"].paginator.count == LedgerEntry.objects.count() == 7
    assert response.context["total"]["committed"] == D("3000.00")
    response = client.get(reverse("reports:ledger"), {"year": YEAR, "district": "LE2"})
    assert response.context["page"].paginator.count == 4


def test_an_invalid_filter_shows_nothing_rather_than_everything(hand_ledger):
    client = client_for(hand_ledger["manager"])
    response = client.get(reverse("reports:ledger"), {"year": YEAR, "date_from": "not a date"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert response.context["form"].errors


def test_the_providers_page_counts_answers_medians_ratings_and_shares(hand_ledger):
    from datetime import UTC, datetime, timedelta

    from delivery.models import ProviderRequest, Rating
    from tests.factories import ProviderFactory

    pa, pb, pc, pd = hand_ledger["agreed"]
    officer = hand_ledger["officer"]
    fast, slow = ProviderFactory(name="Fast Ltd"), ProviderFactory(name="Slow Ltd")
    t0 = datetime(2025, 5, 12, 9, tzinfo=UTC)

    def request(agreed, provider, status, answer_days, delivered_days=None, **extra):
        return ProviderRequest.objects.create(
            agreed_package=agreed, provider=provider, message="Please.", requested_by=officer,
            requested_at=t0, status=status, responded_at=t0 + timedelta(days=answer_days),
            delivered_at=t0 + timedelta(days=delivered_days) if delivered_days else None,
            **extra,
        )  # fmt: skip

    dates = {"planned_start": date(2025, 6, 1), "planned_end": date(2025, 7, 1)}
    # Slow declined A first (after 9 days), then Fast accepted A in 1 day, delivered 21 days on.
    request(pa, slow, "declined", 9, decline_reason="Too busy")
    Rating.objects.create(
        request=request(pa, fast, "accepted", 1, 22, **dates), score=5, rated_by=officer
    )
    request(pc, fast, "accepted", 3, **dates)  # C: accepted in 3 days, not delivered
    request(pd, slow, "accepted", 5, 45, **dates)  # D: 5 days, delivered 40 days on
    client = client_for(hand_ledger["manager"])
    response = client.get(reverse("reports:providers"), {"year": YEAR})
    rows = {r.name: r for r, _ in response.context["rows"]}
    f, s = rows["Fast Ltd"], rows["Slow Ltd"]
    assert (f.requested, f.accepted, f.declined, f.delivered) == (2, 2, 0, 1)
    assert (s.requested, s.accepted, s.declined, s.delivered) == (2, 1, 1, 1)
    assert f.median_days_to_accept == 2.0  # the median of 1 and 3
    assert f.median_days_to_deliver == 21.0
    assert (s.median_days_to_accept, s.median_days_to_deliver) == (5.0, 40.0)
    assert (f.average_rating, f.ratings) == (5.0, 1)
    assert s.average_rating is None
    # The year's spend is A's £1,800, delivered by Fast.
    assert (f.spent, f.share, s.share) == (D("1800.00"), D("100.0"), D("0.0"))
    rows_by_provider, _ = breakdown(hand_ledger, "provider")
    assert figures(rows_by_provider["Fast Ltd"][0]) == (D("2000.00"), D("1800.00"), 2, 2)
    assert figures(rows_by_provider["Slow Ltd"][0]) == (D("1000.00"), D("0.00"), 1, 1)
    assert figures(rows_by_provider["No provider has accepted yet"][0]) == (0, 0, 1, 1)
    total, count = _entries_behind(client, rows_by_provider["Fast Ltd"][1]["all"])
    assert (total["committed"], total["spent"], count) == (D("2000.00"), D("1800.00"), 4)
    total, count = _entries_behind(
        client, rows_by_provider["No provider has accepted yet"][1]["all"]
    )
    assert count == 2  # B's commitment and release


def test_a_year_that_is_not_four_ascii_digits_shows_the_default_year(hand_ledger):
    """A "²" passes str.isdigit() but not int(): it once answered 500."""
    client = client_for(hand_ledger["manager"])
    expected = client.get(reverse("reports:budget_dashboard")).context["year"]
    for asked in ("²", "２０２５", "99999999999999999999", "-1"):
        response = client.get(reverse("reports:budget_dashboard"), {"year": asked})
        assert response.status_code == 200
        assert response.context["year"] == expected
