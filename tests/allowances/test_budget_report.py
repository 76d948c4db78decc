"""The weekly budget report: figures per strand, the week's events, the ledger as CSV."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django_celery_beat.models import PeriodicTask

from allowances.budget_report import week_before
from allowances.services import (
    agree_package,
    cancel_agreed_package,
    record_spend,
    start_delivery,
)
from allowances.tasks import send_budget_report
from notifications.models import Notification
from notifications.services import deliver
from packages.models import Strand

from ..factories import (
    BudgetYearFactory,
    EligibilityDecisionFactory,
    ManagerFactory,
    PackageFactory,
    StaffFactory,
    accept_for_test,
    claim_for_test,
)

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int = 10):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=LONDON), tick=False
    )


@pytest.fixture
def manager(db):
    manager = ManagerFactory(email="budget@example.org")
    for start_year in (2026, 2027):
        BudgetYearFactory(
            start_year=start_year,
            created_by=manager,
            strands={Strand.VCS_SUPPORT: Decimal("10000.00")},
        )
    return manager


def agree(on: date, value: str, name: str):
    officer = StaffFactory()
    decision = EligibilityDecisionFactory(
        organisation__name=name,
        decided_by=officer,
        valid_from=date(2026, 1, 1),
        valid_until=date(2028, 12, 31),
    )
    with at(on):
        return agree_package(
            organisation=decision.organisation,
            package=PackageFactory(value=Decimal(value), name=f"Package for {name}"),
            agreed_by=officer,
            on=on,
        ), officer


@pytest.mark.parametrize(
    ("today", "monday", "label"),
    [
        (date(2027, 4, 5), date(2027, 3, 29), "2027-W13"),  # a Monday: the week before
        (date(2027, 4, 11), date(2027, 3, 29), "2027-W13"),  # a Sunday
        (date(2027, 1, 4), date(2026, 12, 28), "2026-W53"),  # ISO year 2026 has 53 weeks
    ],
)
def test_it_reports_the_monday_to_sunday_week_before(today, monday, label):
    week = week_before(today)
    assert (week.monday, week.label) == (monday, label)


def test_a_week_across_the_financial_year_boundary_covers_both_years(manager):
    # Before the week: not in its events or its CSV, but in the strand figures.
    agree(date(2027, 3, 28), "1000.00", "Sunday Group")
    old_year, officer = agree(date(2027, 3, 30), "2000.00", "Tuesday Group")  # FY 2026-27
    new_year, _ = agree(date(2027, 4, 1), "3000.00", "Thursday Group")  # FY 2027-28
    with at(date(2027, 3, 31)):
        cancel_agreed_package(old_year, by=officer, reason="Closed down")
    with at(date(2027, 4, 2)):
        accept_for_test(new_year, by=officer)
        start_delivery(new_year, by=officer)
        claim_for_test(new_year, by=officer)
        record_spend(new_year, amount=Decimal("2950.00"), by=officer)
    agree(date(2027, 4, 5), "500.00", "Next Week Group")  # after the week

    with at(date(2027, 4, 5), hour=7):
        send_budget_report()
        send_budget_report()  # a second run in the week sends nothing more

    (report,) = Notification.objects.filter(kind="allowances:budget_report")
    assert report.recipient == "budget@example.org"
    assert report.idempotency_key == f"budget-report:2027-W13:{manager.pk}"
    assert report.subject == "Budget report for the week of 29 March 2027"
    body = report.body_text
    # Figures as they stand: FY 2026-27 holds the Sunday package only (the other
    # was cancelled); FY 2027-28 has spent 2,950 and holds the 500 from Monday.
    assert "VCS support packages 2026/27\n  Total: £10,000.00\n  Committed: £1,000.00\n" in body
    assert "Spent: £2,950.00\n  Available: £6,550.00\n  Used: 34.5%" in body
    assert "New agreements: 2\n  Tuesday Group: Package for Tuesday Group, £2,000.00\n" in body
    assert "Cancellations: 1\n  Tuesday Group" in body
    assert "Approved spends: 1\n  Thursday Group: Package for Thursday Group, £2,950.00" in body
    assert "Sunday Group" not in body and "Next Week Group" not in body
    assert "http://127.0.0.1:8000/manager/budget/" in body

    (attachment,) = report.attachments
    assert attachment["filename"] == "ledger-2027-W13.csv"
    rows = list(csv.DictReader(io.StringIO(attachment["content"])))
    assert [(r["organisation"], r["budget year"], r["kind"], r["amount"]) for r in rows] == [
        ("Tuesday Group", "2026/27", "commitment", "2000.00"),
        ("Tuesday Group", "2026/27", "release", "2000.00"),
        ("Thursday Group", "2027/28", "commitment", "3000.00"),
        ("Thursday Group", "2027/28", "release", "3000.00"),
        ("Thursday Group", "2027/28", "spend", "2950.00"),
    ]

    assert deliver(report.pk)
    assert mail.outbox[0].attachments[0][0] == "ledger-2027-W13.csv"


def test_the_next_week_gets_its_own_report(manager):
    with at(date(2027, 4, 5), hour=7):
        send_budget_report()
    with at(date(2027, 4, 12), hour=7):
        send_budget_report()
    keys = Notification.objects.filter(kind="allowances:budget_report").values_list(
        "idempotency_key", flat=True
    )
    assert sorted(keys) == [
        f"budget-report:2027-W13:{manager.pk}",
        f"budget-report:2027-W14:{manager.pk}",
    ]


def test_the_report_is_scheduled_for_monday_at_seven_in_the_database(db):
    task = PeriodicTask.objects.get(task="allowances.tasks.send_budget_report")
    assert task.enabled
    cron = task.crontab
    assert (cron.minute, cron.hour, cron.day_of_week) == ("0", "7", "1")
    assert str(cron.timezone) == "Europe/London"
