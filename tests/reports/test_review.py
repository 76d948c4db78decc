"""Review of issue 7: defects found with a failing test first."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from django.utils import timezone

from allowances.models import LedgerKind
from delivery.models import Claim, ProviderRequest, RequestStatus
from tests.conftest import client_for
from tests.factories import ProviderFactory

from .conftest import YEAR, at, ledger

D = Decimal


def _entries_behind(client, link):
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    response = client.get(reverse("reports:ledger"), query)
    assert response.status_code == 200
    return response.context["total"]


def test_the_dashboards_first_and_last_month_links_show_the_entries_counted_in_them(hand_ledger):
    """The table counts entries from before the year in April and after it in March
    (a claim on last year's package approved in May): the links must show them too."""
    pa, _, pc, _ = hand_ledger["agreed"]
    ledger(pc, LedgerKind.RELEASE, "2000.00", at(date(2026, 5, 20)), "Claim approved")
    ledger(pc, LedgerKind.SPEND, "1900.00", at(date(2026, 5, 20)))
    client = client_for(hand_ledger["manager"])
    response = client.get(reverse("reports:budget_dashboard"), {"year": YEAR})
    months = {m.month: (m, link) for m, link in response.context["months"]}
    march, link = months[date(2026, 3, 1)]
    assert march.spent == D("1900.00")
    behind = _entries_behind(client, link)
    assert (behind["spent"], behind["releases"]) == (march.spent, march.releases)
    april, link = months[date(2025, 4, 1)]
    behind = _entries_behind(client, link)
    assert (behind["commitments"], behind["spent"]) == (april.commitments, april.spent)


def test_a_month_rows_link_keeps_the_breakdowns_own_date_filter(hand_ledger):
    """Filtered from 5 July, the July row sums no entry of 3 July; nor may its link."""
    client = client_for(hand_ledger["manager"])
    response = client.get(
        reverse("reports:breakdown_month"),
        {"year": YEAR, "date_from": "2025-07-05", "date_to": "2025-08-20"},
    )
    rows = {row.label: (row, links) for row, links in response.context["rows"]}
    for label, (row, links) in rows.items():
        committed = _entries_behind(client, links["committed"])
        spent = _entries_behind(client, links["spent"])
        assert committed["committed"] == row.committed, label
        assert committed["commitments"] == row.commitments, label
        assert spent["spent"] == row.spent, label


def test_the_finance_export_dates_an_approval_on_the_london_day(hand_ledger):
    """Approved at 00:30 on 1 April (BST), it belongs to the new financial year."""
    _, _, pc, _ = hand_ledger["agreed"]
    provider = ProviderFactory()
    request = ProviderRequest.objects.create(
        agreed_package=pc,
        provider=provider,
        message="Please deliver.",
        requested_by=hand_ledger["officer"],
        status=RequestStatus.ACCEPTED,
        responded_at=timezone.now(),
        planned_start=date(2025, 9, 1),
        planned_end=date(2025, 12, 1),
    )
    approved_at = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 April in London
    Claim.objects.create(
        request=request,
        agreed_package=pc,
        amount=D("2000.00"),
        amount_paid=D("2000.00"),
        status=Claim.Status.APPROVED,
        submitted_by=hand_ledger["officer"],
        decided_by=hand_ledger["officer"],
        decided_at=approved_at,
    )
    response = client_for(hand_ledger["officer"]).get(reverse("reports:claims_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text)))
    assert row[header.index("Approved on")] == "2026-04-01"


def test_open_data_planned_end_follows_the_managers_delivery_deadline(
    hand_ledger, open_data_storage
):
    """With no provider's dates, the planned end is the delivery deadline managers set."""
    from notifications.deadlines import COMPLETE_DELIVERY, change_deadline
    from notifications.models import Deadline
    from notifications.rules import MONTHS, Period
    from reports.open_data_files import queue_build

    change_deadline(
        Deadline.objects.get(code=COMPLETE_DELIVERY),
        by=hand_ledger["manager"],
        period=Period(3, MONTHS),
    )
    queue_build("transparency_csv", None)  # built in the background (here, at once)
    response = client_for(hand_ledger["manager"]).get(reverse("reports:transparency_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    gamma = next(r for r in rows if r["Beneficiary"] == "Gamma CIC")
    assert gamma["Time period"] == "2025-08-15 to 2025-11-14"


def test_the_ledger_district_filter_ignores_case_and_spaces(hand_ledger):
    from django.urls import reverse

    from tests.conftest import client_for

    client = client_for(hand_ledger["manager"])
    upper = client.get(reverse("reports:ledger"), {"district": "LE2"}).content.decode()
    lower = client.get(reverse("reports:ledger"), {"district": " le2 "}).content.decode()
    assert "Alpha Trust" in upper
    assert "Alpha Trust" in lower
