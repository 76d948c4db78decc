"""The daily job: reminders before a report's due date and once when it is missed, to the
organisation's administrators, each sent once however often the job runs."""

from datetime import datetime, timedelta

import pytest
import time_machine

from grants.monitoring_services import remind_about_report, run_report_deadlines, send_report
from grants.rules import LONDON
from grants.tasks import check_grant_deadlines
from notifications.deadlines import deadline
from notifications.models import Notification
from vcs_support.celery import app

from .monitoring import ANSWERS, awarded, reports_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(world):
    return awarded(world)


def emails(subject_start):
    return Notification.objects.filter(subject__startswith=subject_start)


def test_a_reminder_goes_before_the_due_date_once(world, decision):
    report = reports_of(decision)[0]
    rule = deadline("grant_report")
    remind_on = rule.remind_on(report.due_on)
    assert run_report_deadlines(remind_on - timedelta(days=1)).reminded == 0
    run = run_report_deadlines(remind_on)
    assert (run.reminded, run.missed) == (1, 0)
    [email] = emails(f"Send your monitoring report for period 1 by {report.due_on:%-d %B %Y}")
    assert email.recipient == world.org_a_admin.email  # administrators only, not members
    assert "/grant-reports/" in email.body_text
    # Again the same day, and on each day up to the due date: nothing more.
    for day in (remind_on, remind_on + timedelta(days=1), report.due_on):
        assert run_report_deadlines(day).reminded == 0
    assert emails("Send your monitoring report").count() == 1


def test_a_missed_report_is_told_once_the_day_after_its_due_date(world, decision):
    report = reports_of(decision)[0]
    assert run_report_deadlines(report.due_on).missed == 0
    run = run_report_deadlines(report.due_on + timedelta(days=1))
    assert run.missed == 1
    assert emails("Your monitoring report for period 1 is overdue").count() == 1
    for later in (1, 2, 30):
        assert run_report_deadlines(report.due_on + timedelta(days=later)).missed == 0
    assert emails("Your monitoring report for period 1 is overdue").count() == 1


def test_a_sent_report_is_not_reminded(world, decision):
    report = reports_of(decision)[0]
    send_report(report=report, answers=ANSWERS, by=world.org_a_admin, today=report.period_ends_on)
    rule = deadline("grant_report")
    assert run_report_deadlines(rule.remind_on(report.due_on)).reminded == 0
    assert run_report_deadlines(report.due_on + timedelta(days=5)).missed == 0
    assert not Notification.objects.filter(subject__contains="monitoring report").exists()


def test_two_workers_reminding_at_once_send_each_email_once(world, decision):
    """Both find the report before either marks it reminded: the outbox's keys keep one."""
    report = reports_of(decision)[0]
    rule = deadline("grant_report")
    day = rule.remind_on(report.due_on)
    assert remind_about_report(report.pk, rule, day) == "reminder"
    assert remind_about_report(report.pk, rule, day) == "reminder"
    assert emails("Send your monitoring report").count() == 1


def test_the_scheduled_task_runs_the_reminders_and_the_concerns(world, decision):
    app.loader.import_default_modules()
    assert "grants.tasks.check_grant_deadlines" in app.tasks
    report = reports_of(decision)[0]
    day = report.due_on + timedelta(days=1)
    with time_machine.travel(
        datetime.combine(day, datetime.min.time(), LONDON) + timedelta(hours=7)
    ):
        result = check_grant_deadlines()
    assert result["reports_missed"] == 1 and result["reports_reminded"] == 0
    assert "concerns_reminded" in result
    assert emails("Your monitoring report for period 1 is overdue").count() == 1
