"""Choosing a provider in time: reminded once before the deadline, expired once after it.

Time travel (time-machine) takes the daily job across the financial-year
boundary (an 8-week deadline ending 2 April 2027) and across Christmas 2026
with the deadline set in working days. The last test runs the job on two
threads at once against PostgreSQL.
"""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from allowances.models import AgreedPackage, AgreedStatus, LedgerEntry
from allowances.reminders import DeadlineRun, packages_due
from allowances.selectors import strand_available
from allowances.services import transition
from allowances.tasks import check_package_deadlines
from notifications.deadlines import CHOOSE_PROVIDER, change_deadline, deadline
from notifications.models import Deadline, Notification
from notifications.rules import Period

from ..factories import (
    AgreedPackageFactory,
    ManagerFactory,
    MembershipFactory,
    PackageFactory,
    StaffFactory,
)
from .concurrency import run_together

AGREED_ON = date(2027, 2, 5)  # 8 weeks on is 2 April 2027, the first week of 2027/28
LONDON = ZoneInfo("Europe/London")


def run_on(day: date) -> dict:
    with time_machine.travel(datetime.combine(day, time(7), tzinfo=LONDON), tick=False):
        return check_package_deadlines()


def emails(kind: str):
    return Notification.objects.filter(kind=kind).order_by("pk")


@pytest.fixture
def officers(db):
    return [StaffFactory(email="o1@example.org"), StaffFactory(email="o2@example.org")]


@pytest.fixture
def admin(db):
    admin = MembershipFactory(
        organisation__name="Riverside Lunch Club", user__email="a@example.org"
    )
    MembershipFactory(organisation=admin.organisation, role="member", user__email="m@example.org")
    return admin


def agree(admin, officers, on=AGREED_ON, name=None):
    package = PackageFactory(value=Decimal("1200.00"), **({"name": name} if name else {}))
    return AgreedPackageFactory(
        organisation=admin.organisation,
        package=package,
        agreed_by=officers[0],
        on=on,
    )


def test_the_organisation_is_reminded_once_two_weeks_before(admin, officers):
    agreed = agree(admin, officers, name="Governance health check")
    assert run_on(date(2027, 3, 18)) == {"reminded": 0, "expired": 0}
    assert run_on(date(2027, 3, 19)) == {"reminded": 1, "expired": 0}
    run_on(date(2027, 3, 19))
    run_on(date(2027, 3, 25))
    (reminder,) = emails("allowances:choose_provider_reminder")
    assert reminder.recipient == "a@example.org"  # admins only
    assert reminder.idempotency_key == f"choose-provider:{agreed.pk}:2027-04-02:{admin.user_id}"
    assert reminder.subject == "Choose a provider for Governance health check by 2 April 2027"
    assert "agreed for Riverside Lunch Club on 5 February 2027" in reminder.body_text
    assert "by 2 April 2027 (14 days from today)" in reminder.body_text
    assert f"http://127.0.0.1:8000/agreed-packages/{agreed.pk}/" in reminder.body_text


def test_a_missed_run_is_caught_up_the_next_day(admin, officers):
    agree(admin, officers)
    run_on(date(2027, 3, 22))  # the job did not run on the 19th, 20th or 21st
    (reminder,) = emails("allowances:choose_provider_reminder")
    assert "(11 days from today)" in reminder.body_text


def test_a_package_not_taken_up_expires_the_day_after_the_deadline_across_the_year_end(
    admin, officers
):
    agreed = agree(admin, officers, name="Governance health check")
    strand = agreed.strand
    before = strand_available(strand)
    for day in (date(2027, 3, 31), date(2027, 4, 1), date(2027, 4, 2)):
        assert run_on(day)["expired"] == 0  # 2 April is the last day, still in time
    assert run_on(date(2027, 4, 3)) == {"reminded": 0, "expired": 1}
    agreed.refresh_from_db()
    assert agreed.status == AgreedStatus.EXPIRED
    assert agreed.ended_reason == (
        "No provider was chosen by 2 April 2027, 8 weeks after the package was agreed."
    )
    # The 2026/27 commitment is released, though the package expired in 2027/28.
    assert strand.budget_year.start_year == 2026
    assert strand_available(strand) == before + Decimal("1200.00")
    assert not AgreedPackage.objects.counting().filter(pk=agreed.pk).exists()
    (to_organisation,) = emails("allowances:package_expired")
    assert to_organisation.recipient == admin.organisation.contact_email
    notices = list(emails("allowances:package_expired_officer"))
    assert sorted(n.recipient for n in notices) == ["o1@example.org", "o2@example.org"]
    assert notices[0].subject == (
        "Governance health check for Riverside Lunch Club has expired: no provider chosen"
    )
    assert "no provider was chosen by 2 April 2027" in notices[0].body_text
    # And once only.
    assert run_on(date(2027, 4, 3)) == {"reminded": 0, "expired": 0}
    assert run_on(date(2027, 4, 4)) == {"reminded": 0, "expired": 0}
    assert emails("allowances:package_expired_officer").count() == 2
    assert LedgerEntry.objects.filter(agreed_package=agreed, kind="release").count() == 1


def test_managers_are_not_sent_the_officers_notice(admin, officers):
    ManagerFactory(email="boss@example.org")
    agree(admin, officers)
    run_on(date(2027, 4, 3))
    recipients = set(
        emails("allowances:package_expired_officer").values_list("recipient", flat=True)
    )
    assert recipients == {"o1@example.org", "o2@example.org"}


def test_a_package_whose_provider_was_asked_is_neither_reminded_nor_expired(admin, officers):
    agreed = agree(admin, officers)
    transition(agreed, AgreedStatus.PROVIDER_REQUESTED, by=officers[0], action="test.requested")
    run_on(date(2027, 3, 19))
    run_on(date(2027, 4, 3))
    agreed.refresh_from_db()
    assert agreed.status == AgreedStatus.PROVIDER_REQUESTED
    assert not emails("allowances:choose_provider_reminder").exists()
    assert not emails("allowances:package_expired_officer").exists()


def test_a_deadline_in_working_days_skips_christmas_and_new_year(admin, officers, db):
    # A manager sets 10 working days, reminded 2 working days before.
    change_deadline(
        Deadline.objects.get(code=CHOOSE_PROVIDER),
        by=ManagerFactory(),
        period=Period(10, "working_days"),
        remind_before=Period(2, "working_days"),
    )
    agreed = agree(admin, officers, on=date(2026, 12, 17))
    # 17 Dec + 10 working days, skipping 25 and 28 December and 1 January: 5 January.
    assert deadline(CHOOSE_PROVIDER).due_on(agreed.agreed_on) == date(2027, 1, 5)
    run_on(date(2026, 12, 30))
    assert not emails("allowances:choose_provider_reminder").exists()
    run_on(date(2026, 12, 31))  # 2 working days before 5 January: 4 January, 31 December
    assert emails("allowances:choose_provider_reminder").count() == 1
    run_on(date(2027, 1, 5))
    agreed.refresh_from_db()
    assert agreed.status == AgreedStatus.AGREED
    run_on(date(2027, 1, 6))
    agreed.refresh_from_db()
    assert agreed.status == AgreedStatus.EXPIRED


def test_packages_are_picked_by_their_agreement_date(admin, officers):
    # Three organisations: one may have only 2 packages in a year.
    reminded = agree(admin, officers, on=date(2027, 2, 19))  # due 16 April
    expired = agree(MembershipFactory(), officers, on=date(2027, 2, 5))  # due 2 April
    agree(MembershipFactory(), officers, on=date(2027, 3, 15))  # due 10 May: nothing yet
    rule = deadline(CHOOSE_PROVIDER)
    assert packages_due(rule, date(2027, 4, 3)) == ([reminded.pk], [expired.pk])


def test_the_job_runs_daily_from_the_database_schedule(db):
    task = PeriodicTask.objects.get(task="allowances.tasks.check_package_deadlines")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("0", "7", "*")
    assert str(task.crontab.timezone) == "Europe/London"


# --- Two workers at once, on PostgreSQL


def _run_in_thread(day):
    from allowances.reminders import run_choose_provider_deadlines

    return lambda: run_choose_provider_deadlines(day)


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_remind_once_and_expire_once():
    officers = [StaffFactory(email="o1@example.org"), StaffFactory(email="o2@example.org")]
    for round_ in range(5):
        admin = MembershipFactory(user__email=f"admin{round_}@example.org")
        to_expire = agree(admin, officers, on=date(2027, 2, 5))
        to_remind = agree(admin, officers, on=date(2027, 2, 19))
        with time_machine.travel(datetime(2027, 4, 3, 7, tzinfo=LONDON), tick=False):
            results = run_together([_run_in_thread(date(2027, 4, 3))] * 2)
        assert [kind for kind, _ in results] == ["ok", "ok"], results
        # Both saw the reminder due; the outbox kept one. One of them expired the package.
        assert sorted(run.expired for _, run in results) == [0, 1]
        assert all(isinstance(run, DeadlineRun) for _, run in results)
        to_expire.refresh_from_db()
        assert to_expire.status == AgreedStatus.EXPIRED
        assert LedgerEntry.objects.filter(agreed_package=to_expire, kind="release").count() == 1
        assert (
            Notification.objects.filter(
                kind="allowances:choose_provider_reminder",
                idempotency_key__startswith=f"choose-provider:{to_remind.pk}:",
            ).count()
            == 1
        )
        assert (
            Notification.objects.filter(
                kind="allowances:package_expired_officer",
                idempotency_key__startswith=f"package-expired:{to_expire.pk}:",
            ).count()
            == 2
        )
        assert (
            Notification.objects.filter(
                kind="allowances:package_expired", recipient=to_expire.organisation.contact_email
            ).count()
            == 1
        )
