"""Budget threshold alerts: managers hear once per threshold per strand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from allowances.rules import highest_threshold_reached
from allowances.services import agree_package
from allowances.tasks import check_budget_thresholds
from notifications.models import Notification
from packages.models import Strand

from ..factories import (
    BudgetYearFactory,
    EligibilityDecisionFactory,
    ManagerFactory,
    PackageFactory,
    StaffFactory,
)

TODAY = date(2026, 11, 23)


@pytest.fixture
def managers(db):
    return [ManagerFactory(email="m1@example.org"), ManagerFactory(email="m2@example.org")]


@pytest.fixture
def strand(managers):
    year = BudgetYearFactory(
        start_year=2026, created_by=managers[0], strands={Strand.VCS_SUPPORT: Decimal("10000.00")}
    )
    return year.strands.get(kind=Strand.VCS_SUPPORT)


def agree(value: str):
    """Agree a package of `value` for a new organisation, through the service.

    Not AgreedPackageFactory: its budget year factory makes a manager every
    time, and each would be one more recipient.
    """
    officer = StaffFactory()
    decision = EligibilityDecisionFactory(
        decided_by=officer,
        valid_from=TODAY - timedelta(days=30),
        valid_until=TODAY + timedelta(days=365),
    )
    agree_package(
        organisation=decision.organisation,
        package=PackageFactory(value=Decimal(value)),
        agreed_by=officer,
        on=TODAY,
    )


def alerts():
    return Notification.objects.filter(kind="allowances:budget_threshold").order_by("pk")


def run_job():
    with time_machine.travel(TODAY, tick=False):
        return check_budget_thresholds()


@pytest.mark.parametrize(
    ("used", "expected"),
    [
        ("0", None),
        ("7499.99", None),
        ("7500.00", 75),
        ("8999.99", 75),
        ("9000.00", 90),
        ("10000.00", 100),
        ("12000.00", 100),
    ],
)
def test_it_picks_the_highest_threshold_reached(used, expected):
    assert highest_threshold_reached(amount=Decimal("10000"), used=Decimal(used)) == expected


def test_crossing_75_percent_tells_every_manager_once(strand, managers):
    agree("7600.00")
    assert run_job() == 1
    sent = list(alerts())
    assert [n.recipient for n in sent] == ["m1@example.org", "m2@example.org"]
    assert {n.idempotency_key for n in sent} == {
        f"budget-alert:{strand.pk}:75:{m.pk}" for m in managers
    }
    email = sent[0]
    assert email.subject == "VCS support packages 2026/27 has passed 75% of its budget"
    assert "now 76.0% used" in email.body_text
    assert "Amount: £10,000.00" in email.body_text
    assert "Committed: £7,600.00" in email.body_text
    assert "Available: £2,400.00" in email.body_text
    assert f"http://127.0.0.1:8000/manager/budget/strands/{strand.pk}/" in email.body_text


def test_running_twice_sends_once(strand, managers):
    agree("7600.00")
    run_job()
    run_job()
    assert alerts().count() == 2  # one per manager


def test_crossing_90_percent_later_sends_the_90_percent_alert(strand, managers):
    agree("7600.00")
    run_job()
    agree("1500.00")
    run_job()
    run_job()
    keys = [n.idempotency_key for n in alerts() if n.recipient == "m1@example.org"]
    assert keys == [
        f"budget-alert:{strand.pk}:75:{managers[0].pk}",
        f"budget-alert:{strand.pk}:90:{managers[0].pk}",
    ]


def test_nothing_is_sent_below_75_percent(strand, managers):
    agree("7499.99")
    assert run_job() == 0
    assert not alerts().exists()


def test_the_check_runs_hourly_from_the_database_schedule(db):
    task = PeriodicTask.objects.get(task="allowances.tasks.check_budget_thresholds")
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (1, "hours")
