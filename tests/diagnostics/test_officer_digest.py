"""The officers' daily email: eligibility applications waiting more than 10 working days.

Time travel (time-machine) takes it across Christmas 2026 and across Easter
2027 into the 2027/28 financial year. The last test runs it on two threads at
once against PostgreSQL.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from diagnostics.reminders import applications_waiting
from notifications.digest import DigestLine, DigestSection
from notifications.models import Notification
from vcs_support.officer_digest import send_officer_digest
from vcs_support.tasks import send_officer_digest as digest_task

from ..allowances.concurrency import run_together
from ..factories import (
    EligibilityApplicationFactory,
    ManagerFactory,
    NonWorkingDayFactory,
    StaffFactory,
)

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int = 7, minute: int = 30) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def run_on(day: date) -> int:
    with time_machine.travel(at(day), tick=False):
        return digest_task()


def digests():
    return Notification.objects.filter(kind="officer_digest").order_by("pk")


def submitted_on(day: date, name: str, hour: int = 16, minute: int = 0):
    return EligibilityApplicationFactory(
        organisation__name=name, status="submitted", submitted_at=at(day, hour, minute)
    )


@pytest.fixture
def officers(db):
    return [StaffFactory(email="o1@example.org"), StaffFactory(email="o2@example.org")]


def test_an_application_is_listed_once_it_has_waited_more_than_10_working_days_over_christmas(
    officers,
):
    # 10 working days from Thursday 17 December 2026 skip 25 and 28 December
    # (Boxing Day's substitute) and 1 January: the 10th is Tuesday 5 January.
    application = submitted_on(date(2026, 12, 17), "Riverside Lunch Club")
    assert run_on(date(2027, 1, 5)) == 0
    assert run_on(date(2027, 1, 6)) == 2  # one per officer
    sent = list(digests())
    assert [n.recipient for n in sent] == ["o1@example.org", "o2@example.org"]
    assert [n.idempotency_key for n in sent] == [
        f"officer-digest:2027-01-06:{officers[0].pk}",
        f"officer-digest:2027-01-06:{officers[1].pk}",
    ]
    email = sent[0]
    assert email.subject == "1 item waiting longer than Leicester City Council's deadlines"
    assert "Eligibility applications waiting more than 10 working days: 1" in email.body_text
    assert "- Riverside Lunch Club, submitted 17 December 2026" in email.body_text
    assert f"http://127.0.0.1:8000/officer/eligibility/{application.pk}/" in email.body_text


def test_a_day_off_a_manager_added_sends_nothing_and_moves_the_deadline_by_a_day(officers):
    # As over Christmas above, but the council also closes on Monday 4 January
    # 2027: no email that day, and the 10th working day is Wednesday 6 January.
    NonWorkingDayFactory(date=date(2027, 1, 4), name="Council offices closed")
    submitted_on(date(2026, 12, 17), "Riverside Lunch Club")
    submitted_on(date(2026, 12, 1), "Long Waiting Trust")  # overdue whatever the day
    assert run_on(date(2027, 1, 4)) == 0
    assert run_on(date(2027, 1, 6)) == 2
    assert "- Riverside Lunch Club" not in digests().first().body_text
    assert run_on(date(2027, 1, 7)) == 2
    assert "- Riverside Lunch Club, submitted 17 December 2026" in digests().last().body_text


def test_over_easter_and_into_the_new_financial_year(officers):
    # Thursday 18 March 2027 + 10 working days, skipping Good Friday (26 March)
    # and Easter Monday (29 March): Monday 5 April 2027.
    submitted_on(date(2027, 3, 18), "Braunstone Youth Project")
    assert run_on(date(2027, 4, 5)) == 0
    assert run_on(date(2027, 4, 6)) == 2


def test_waiting_is_counted_from_the_london_date_it_was_sent(officers):
    # 00:30 on Thursday 1 April 2027 in London is 23:30 on 31 March in UTC.
    # From 1 April, the 10th working day is 15 April (from 31 March, the 14th).
    submitted_on(date(2027, 4, 1), "Early Sender", hour=0, minute=30)
    assert run_on(date(2027, 4, 15)) == 0
    assert run_on(date(2027, 4, 16)) == 2


def test_each_officer_gets_one_email_a_day_however_often_the_job_runs(officers):
    submitted_on(date(2026, 12, 17), "Riverside Lunch Club")
    run_on(date(2027, 1, 6))
    run_on(date(2027, 1, 6))
    assert digests().count() == 2
    run_on(date(2027, 1, 7))  # still waiting the next working day: a new email
    assert digests().count() == 4


def test_nothing_on_weekends_or_bank_holidays_and_nothing_when_nothing_waits(officers):
    submitted_on(date(2026, 12, 1), "Riverside Lunch Club")
    assert run_on(date(2026, 12, 26)) == 0  # Saturday
    assert run_on(date(2026, 12, 28)) == 0  # Boxing Day's substitute
    assert not digests().exists()


def test_no_email_when_nothing_has_waited_too_long(officers):
    submitted_on(date(2027, 1, 4), "Recent")
    EligibilityApplicationFactory(status="more_info", submitted_at=at(date(2026, 11, 2)))
    assert run_on(date(2027, 1, 6)) == 0


def test_managers_are_not_sent_the_officers_digest(officers):
    ManagerFactory(email="boss@example.org")
    submitted_on(date(2026, 12, 17), "Riverside Lunch Club")
    run_on(date(2027, 1, 6))
    assert "boss@example.org" not in set(digests().values_list("recipient", flat=True))


def test_the_oldest_are_listed_first_and_the_rest_counted(officers, monkeypatch):
    monkeypatch.setattr("diagnostics.reminders.MOST_LINES", 2)
    for n, day in enumerate([date(2026, 12, 3), date(2026, 12, 1), date(2026, 12, 2)]):
        submitted_on(day, f"Group {n}")
    with time_machine.travel(at(date(2027, 1, 6)), tick=False):
        section = applications_waiting(date(2027, 1, 6))
    assert section.total == 3 and section.more == 1
    assert [line.text for line in section.lines] == [
        "Group 1, submitted 1 December 2026",
        "Group 2, submitted 2 December 2026",
    ]
    run_on(date(2027, 1, 6))
    body = digests().first().body_text
    assert "and 1 more. See them all:\nhttp://127.0.0.1:8000/officer/eligibility/\n" in body


def test_another_app_can_add_a_section(officers):
    claims = DigestSection(
        title="Payment claims waiting more than 10 working days",
        total=1,
        lines=(DigestLine("Fosse Consulting, £1,200.00", "http://example.org/claims/1/"),),
        link="http://example.org/claims/",
    )
    submitted_on(date(2026, 12, 17), "Riverside Lunch Club")
    with time_machine.travel(at(date(2027, 1, 6)), tick=False):
        sections = (applications_waiting, lambda today: claims)
        assert send_officer_digest(date(2027, 1, 6), sections) == 2
    email = digests().first()
    assert email.subject == "2 items waiting longer than Leicester City Council's deadlines"
    assert "Payment claims waiting more than 10 working days: 1" in email.body_text
    assert "- Fosse Consulting, £1,200.00\n  http://example.org/claims/1/" in email.body_text


def test_the_digest_runs_daily_from_the_database_schedule(db):
    task = PeriodicTask.objects.get(task="vcs_support.tasks.send_officer_digest")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("30", "7", "*")


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_officer_one_email():
    officers = [StaffFactory(email=f"o{n}@example.org") for n in range(3)]
    submitted_on(date(2026, 12, 17), "Riverside Lunch Club")
    for day in (date(2027, 1, 6), date(2027, 1, 7), date(2027, 1, 8)):
        with time_machine.travel(at(day), tick=False):
            results = run_together([lambda d=day: send_officer_digest(d)] * 4)
        assert [kind for kind, _ in results] == ["ok"] * 4, results
        assert sum(queued for _, queued in results) == len(officers)
        assert digests().filter(idempotency_key__startswith=f"officer-digest:{day}:").count() == 3
