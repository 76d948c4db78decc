from celery import shared_task
from django.utils import timezone

from notifications.deadlines import DIAGNOSTIC_SESSION, deadline

from .reminders import (
    eligibility_reminder_rules,
    expiring_decision_ids,
    remind_eligibility_expiring,
    remind_session,
    sessions_to_remind_ids,
)


@shared_task(ignore_result=True)
def send_daily_reminders() -> int:
    """Daily: eligibility ending (60 and 14 days before), diagnostic sessions (the day before).

    How long before each is the managers' to set (notifications.deadlines).
    """
    today = timezone.localdate()
    rules = eligibility_reminder_rules()
    sent = sum(
        remind_eligibility_expiring(pk, today, rules) is not None
        for pk in expiring_decision_ids(today, rules)
    )
    session = deadline(DIAGNOSTIC_SESSION)
    return sent + sum(
        remind_session(pk, today, session) for pk in sessions_to_remind_ids(today, session)
    )
