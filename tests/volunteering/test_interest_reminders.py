"""The daily volunteer jobs: organisations reminded of interest unanswered in 5 working
days (once, and never about answered interest), and the inactivity step run beside it."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from volunteering.interest_reminders import due_before, remind_unanswered
from volunteering.models import Interest
from volunteering.tasks import run_volunteer_jobs
from volunteering.volunteer_services import answer_interest

from . import matrix

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)  # a Monday


def reminders():
    return Notification.objects.filter(idempotency_key__startswith="interest_reminder:")


def sent_on(interest, day: date):
    at = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=10)
    Interest.objects.filter(pk=interest.pk).update(created_at=at)


def test_five_working_days_back_from_a_monday_is_the_monday_before():
    assert due_before(TODAY).date() == date(2026, 11, 30)


def test_interest_waiting_five_working_days_is_reminded_once(world):
    interest = matrix.interest(world)
    sent_on(interest, date(2026, 11, 27))  # a Friday: 6 working days before
    assert remind_unanswered(TODAY) == 1
    [email] = reminders()
    assert email.recipient == world.org_a_admin.email
    assert matrix.INTERESTED in email.subject
    assert f"/organisation/volunteering/interest/{interest.pk}/" in email.body_text
    assert remind_unanswered(TODAY) == 0  # the next run, or a second worker
    assert remind_unanswered(TODAY + timedelta(days=1)) == 0
    assert reminders().count() == 1
    interest.refresh_from_db()
    assert interest.reminded_at is not None


def test_interest_not_yet_five_working_days_old_is_not_reminded(world):
    interest = matrix.interest(world)
    sent_on(interest, date(2026, 11, 30))  # the Monday before: exactly 5 working days
    assert remind_unanswered(TODAY) == 0
    assert remind_unanswered(TODAY + timedelta(days=1)) == 1


def test_answered_or_withdrawn_interest_is_not_reminded(world):
    interest = matrix.interest(world)
    sent_on(interest, date(2026, 11, 2))
    answer_interest(interest=interest, by=world.org_a_admin, to="talking")
    assert remind_unanswered(TODAY) == 0
    assert not reminders().exists()


def test_the_daily_task_reminds_and_runs_the_inactivity_step(world):
    sent_on(matrix.interest(world), date(2026, 11, 2))
    result = run_volunteer_jobs()
    assert result["interest_reminded"] == 1
    assert result == {
        "interest_reminded": 1,
        "warned": 0,
        "deleted": 0,
        "centre_reports_reminded": 0,
        "centre_reports_missed": 0,
    }
