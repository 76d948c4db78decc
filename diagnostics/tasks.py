from celery import shared_task
from django.utils import timezone

from .reminders import (
    expiring_decision_ids,
    remind_eligibility_expiring,
    remind_session_tomorrow,
    sessions_tomorrow_ids,
)


@shared_task(ignore_result=True)
def send_daily_reminders() -> int:
    """Daily: eligibility expiring in 60 or 14 days, and diagnostic sessions tomorrow."""
    today = timezone.localdate()
    sent = sum(
        remind_eligibility_expiring(pk, today) is not None for pk in expiring_decision_ids(today)
    )
    return sent + sum(remind_session_tomorrow(pk, today) for pk in sessions_tomorrow_ids(today))
