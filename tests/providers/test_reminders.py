"""Insurance running out: reminded once 30 days before, told once the day after it lapses.

A public liability certificate ending on 31 March 2027 takes the job across the
financial-year boundary: its lapse starts on 1 April. The lapse itself is
computed from the date (the provider cannot be chosen from that day) and this
job only tells the provider's people. The last test runs the job on two threads
at once against PostgreSQL.
"""

from contextlib import contextmanager
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from notifications.models import Notification
from providers.models import Provider
from providers.reminders import InsuranceRun, run_insurance_reminders
from providers.tasks import check_insurance_expiry

from ..allowances.concurrency import run_together
from ..delivery.support import insure, make_ready
from ..factories import PackageFactory, ProviderMembershipFactory, StaffFactory

LONDON = ZoneInfo("Europe/London")
INSURANCE_PAGE = "http://127.0.0.1:8000/provider/insurance/pl/"
ENDS = date(2027, 3, 31)  # the last day of cover, and of the 2026/27 financial year


@contextmanager
def on(day: date, hour: int = 7):
    with time_machine.travel(datetime.combine(day, time(hour, 20), tzinfo=LONDON), tick=False):
        yield


def run_on(day: date) -> dict:
    with on(day):
        return check_insurance_expiry()


def emails(kind: str):
    return Notification.objects.filter(kind=f"providers:{kind}").order_by("pk")


def recipients(kind: str) -> list[str]:
    return sorted(emails(kind).values_list("recipient", flat=True))


@pytest.fixture
def provider(world):
    """World's provider on the register, approved for a package, its public liability
    insurance ending on 31 March 2027 (the others a year later); two people act for it."""
    provider = make_ready(
        world.provider, PackageFactory(), by=world.provider_user, officer=world.officer
    )
    insure(provider, by=world.provider_user, until=date(2028, 3, 31))
    insure(provider, by=world.provider_user, until=ENDS, kinds=["pl"])
    ProviderMembershipFactory(provider=provider, user__email="colleague@example.org")
    return provider


def test_the_provider_is_reminded_once_30_days_before_its_insurance_ends(provider):
    assert run_on(date(2027, 2, 28)) == {"reminded": 0, "lapsed": 0}
    assert run_on(date(2027, 3, 1)) == {"reminded": 1, "lapsed": 0}
    run_on(date(2027, 3, 1))
    run_on(date(2027, 3, 15))
    assert recipients("insurance_expiring") == ["colleague@example.org", "provider@example.org"]
    reminder = emails("insurance_expiring").get(recipient="provider@example.org")
    certificate = provider.certificates.get(kind="pl")
    assert reminder.idempotency_key.startswith(f"insurance-expiring:{certificate.pk}:2027-03-31:")
    assert reminder.subject == f"{provider.name}'s public liability insurance ends on 31 March 2027"
    assert "covers it until 31 March 2027 (30 days from today)" in reminder.body_text
    assert "If there is no current certificate on 1 April 2027" in reminder.body_text
    assert f"{INSURANCE_PAGE}\n" in reminder.body_text


def test_the_day_after_it_ends_the_provider_is_told_its_approvals_have_lapsed_once(provider):
    assert run_on(ENDS) == {"reminded": 1, "lapsed": 0}  # the last day of cover: in force
    assert Provider.objects.not_lapsed_on(ENDS).filter(pk=provider.pk).exists()
    assert run_on(date(2027, 4, 1)) == {"reminded": 0, "lapsed": 1}
    run_on(date(2027, 4, 1))
    run_on(date(2027, 4, 2))
    # Lapsed from the date alone: nothing was stored.
    assert not Provider.objects.not_lapsed_on(date(2027, 4, 1)).filter(pk=provider.pk).exists()
    assert recipients("insurance_lapsed") == ["colleague@example.org", "provider@example.org"]
    notice = emails("insurance_lapsed").first()
    assert notice.subject == (
        f"{provider.name}'s approvals have lapsed: its public liability insurance ended on "
        "31 March 2027"
    )
    assert "organisations cannot choose" in notice.body_text
    assert f"{INSURANCE_PAGE}\n" in notice.body_text


def test_a_missed_run_still_sends_the_notice_but_not_about_old_news(provider, world):
    run_on(date(2027, 4, 3))  # the job did not run on 1 or 2 April
    assert emails("insurance_lapsed").count() == 2
    # A certificate that ended weeks before the job ran is not news.
    other = ProviderMembershipFactory(user__email="old@example.org")
    make_ready(other.provider, PackageFactory(), by=other.user, officer=world.officer)
    insure(other.provider, by=other.user, until=date(2027, 3, 1), kinds=["pi"])
    run_on(date(2027, 4, 3))
    assert "old@example.org" not in recipients("insurance_lapsed")


def test_nothing_is_sent_about_a_certificate_renewed_in_time(provider, world):
    insure(provider, by=world.provider_user, until=date(2028, 3, 31), kinds=["pl"])
    for day in (date(2027, 3, 1), ENDS, date(2027, 4, 1)):
        assert run_on(day) == {"reminded": 0, "lapsed": 0}
    assert not Notification.objects.filter(kind__startswith="providers:insurance").exists()


def test_renewed_after_the_reminder_there_is_no_lapse_notice(provider, world):
    run_on(date(2027, 3, 1))
    insure(provider, by=world.provider_user, until=date(2028, 3, 31), kinds=["pl"])
    run_on(date(2027, 4, 1))
    assert emails("insurance_expiring").count() == 2
    assert not emails("insurance_lapsed").exists()


def test_insurance_the_provider_need_not_hold_is_not_reminded(provider, world):
    # Employer's liability for a provider without staff: its end changes nothing.
    insure(provider, by=world.provider_user, until=ENDS, kinds=["el"])
    insure(provider, by=world.provider_user, until=date(2028, 3, 31), kinds=["pl"])
    assert not provider.employs_staff
    for day in (date(2027, 3, 1), date(2027, 4, 1)):
        assert run_on(day) == {"reminded": 0, "lapsed": 0}


def test_a_provider_not_on_the_register_is_not_reminded(db):
    member = ProviderMembershipFactory(user__email="draft@example.org")
    insure(member.provider, by=member.user, until=ENDS)
    assert run_on(date(2027, 3, 1)) == {"reminded": 0, "lapsed": 0}


def test_the_job_runs_daily_from_the_database_schedule(db):
    task = PeriodicTask.objects.get(task="providers.tasks.check_insurance_expiry")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("20", "7", "*")
    assert str(task.crontab.timezone) == "Europe/London"


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_email_once():
    officer = StaffFactory()
    providers = []
    for n, ends in enumerate([date(2027, 3, 31), date(2027, 4, 30)]):
        member = ProviderMembershipFactory(user__email=f"p{n}@example.org")
        make_ready(member.provider, PackageFactory(), by=member.user, officer=officer)
        insure(member.provider, by=member.user, until=ends, kinds=["pi"])
        providers.append(member.provider)
    day = date(2027, 4, 1)  # the first has lapsed; the second ends in 29 days
    for _ in range(2):
        with on(day):
            results = run_together([lambda: run_insurance_reminders(day)] * 4)
        assert [kind for kind, _ in results] == ["ok"] * 4, results
        assert {run for _, run in results} == {InsuranceRun(reminded=1, lapsed=1)}
        assert recipients("insurance_lapsed") == ["p0@example.org"]
        assert recipients("insurance_expiring") == ["p1@example.org"]
