"""Daily reminders: eligibility expiring (60 and 14 days before) and a session tomorrow."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from diagnostics.rules import expiry_reminder_due
from diagnostics.tasks import send_daily_reminders
from notifications.models import Notification

from ..factories import DiagnosticFactory, EligibilityDecisionFactory, MembershipFactory

LAST_DAY = date(2027, 4, 30)


def run_on(day: date) -> int:
    moment = datetime.combine(day, time(8), tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(moment, tick=False):
        return send_daily_reminders()


def keys(kind: str) -> list[str]:
    return list(
        Notification.objects.filter(kind=kind)
        .order_by("pk")
        .values_list("idempotency_key", flat=True)
    )


@pytest.mark.parametrize(
    ("days_left", "due"),
    [(61, None), (60, 60), (59, 60), (15, 60), (14, 14), (1, 14), (0, 14), (-1, None)],
)
def test_the_nearest_reminder_not_yet_passed_is_due(days_left, due):
    assert expiry_reminder_due(days_left) == due


@pytest.fixture
def admin(db):
    admin = MembershipFactory(
        organisation__name="Riverside Lunch Club", user__email="a@example.org"
    )
    MembershipFactory(organisation=admin.organisation, role="member", user__email="m@example.org")
    return admin


@pytest.fixture
def decision(admin):
    return EligibilityDecisionFactory(
        organisation=admin.organisation, valid_from=date(2026, 5, 1), valid_until=LAST_DAY
    )


def test_admins_hear_60_and_14_days_before_eligibility_ends_once_each(admin, decision):
    for day in (date(2027, 2, 28), date(2027, 3, 1), date(2027, 3, 1), date(2027, 3, 20)):
        run_on(day)  # 61 days before, 60 (twice), then in between: nothing new
    assert keys("diagnostics:eligibility_expiring") == [
        f"eligibility-expiring:{decision.pk}:60:{admin.user_id}"
    ]
    run_on(date(2027, 4, 16))  # 14 days before
    run_on(date(2027, 4, 16))
    run_on(date(2027, 4, 17))
    sent = Notification.objects.filter(kind="diagnostics:eligibility_expiring").order_by("pk")
    assert [n.idempotency_key for n in sent] == [
        f"eligibility-expiring:{decision.pk}:60:{admin.user_id}",
        f"eligibility-expiring:{decision.pk}:14:{admin.user_id}",
    ]
    assert {n.recipient for n in sent} == {"a@example.org"}  # admins only
    last = sent.last()
    assert last.subject == "Riverside Lunch Club's eligibility for support ends on 30 April 2027"
    assert "14 days from today" in last.body_text
    assert "http://127.0.0.1:8000/eligibility/" in last.body_text


def test_a_renewed_decision_replaces_the_expiring_one(admin, decision):
    EligibilityDecisionFactory(
        organisation=admin.organisation,
        valid_from=date(2027, 3, 1),
        valid_until=date(2029, 4, 30),
        decided_at=datetime(2027, 2, 1, tzinfo=ZoneInfo("Europe/London")),
    )
    run_on(date(2027, 3, 1))
    assert keys("diagnostics:eligibility_expiring") == []


def test_a_session_tomorrow_is_reminded_once(admin):
    diagnostic = DiagnosticFactory(
        organisation=admin.organisation,
        status="session_booked",
        session_date=date(2027, 4, 1),
        session_time=time(10, 30),
        session_place="Town Hall, Room 2",
    )
    run_on(date(2027, 3, 30))  # two days before: nothing yet
    run_on(date(2027, 3, 31))
    run_on(date(2027, 3, 31))
    (reminder,) = Notification.objects.filter(kind="diagnostics:session_tomorrow")
    assert (
        reminder.idempotency_key == f"diagnostic-session:{diagnostic.pk}:2027-04-01:{admin.user_id}"
    )
    assert reminder.subject == "Riverside Lunch Club's diagnostic session is tomorrow"
    assert "Date: 1 April 2027\nTime: 10:30\nPlace: Town Hall, Room 2" in reminder.body_text
    assert "http://127.0.0.1:8000/diagnostic/" in reminder.body_text


def test_a_moved_session_is_reminded_again_for_its_new_date(admin):
    diagnostic = DiagnosticFactory(
        organisation=admin.organisation, status="session_booked", session_date=date(2027, 4, 1)
    )
    run_on(date(2027, 3, 31))
    diagnostic.session_date = date(2027, 4, 8)
    diagnostic.save(update_fields=["session_date"])
    run_on(date(2027, 4, 7))
    assert keys("diagnostics:session_tomorrow") == [
        f"diagnostic-session:{diagnostic.pk}:2027-04-01:{admin.user_id}",
        f"diagnostic-session:{diagnostic.pk}:2027-04-08:{admin.user_id}",
    ]


def test_the_reminders_run_daily_from_the_database_schedule(db):
    task = PeriodicTask.objects.get(task="diagnostics.tasks.send_daily_reminders")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("0", "8", "*")


# --- How long before is the managers' to set (notifications.deadlines)


def _set_reminder(code: str, amount: int, unit: str):
    from notifications.deadlines import change_deadline
    from notifications.models import Deadline
    from notifications.rules import Period

    from ..factories import ManagerFactory

    change_deadline(
        Deadline.objects.get(code=code), by=ManagerFactory(), remind_before=Period(amount, unit)
    )


def test_a_manager_can_move_the_first_eligibility_reminder(admin, decision):
    _set_reminder("eligibility_expiring_first", 8, "weeks")  # 56 days before 30 April 2027
    run_on(date(2027, 3, 1))  # 60 days before: no longer a reminder date
    assert keys("diagnostics:eligibility_expiring") == []
    run_on(date(2027, 3, 5))
    assert keys("diagnostics:eligibility_expiring") == [
        f"eligibility-expiring:{decision.pk}:56:{admin.user_id}"
    ]


def test_a_session_reminder_set_to_one_working_day_goes_out_before_the_weekend(admin):
    _set_reminder("diagnostic_session", 1, "working_days")
    DiagnosticFactory(
        organisation=admin.organisation,
        status="session_booked",
        session_date=date(2027, 4, 5),  # a Monday
        session_time=time(10, 30),
        session_place="Town Hall",
    )
    run_on(date(2027, 4, 1))  # Thursday: not yet (Friday 2 April is a working day)
    assert keys("diagnostics:session_tomorrow") == []
    run_on(date(2027, 4, 2))
    run_on(date(2027, 4, 3))
    run_on(date(2027, 4, 4))
    (reminder,) = Notification.objects.filter(kind="diagnostics:session_tomorrow")
    assert reminder.subject == "Riverside Lunch Club's diagnostic session is on 5 April 2027"
    assert "diagnostic session is coming up:" in reminder.body_text
