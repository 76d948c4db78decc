"""Section B's daily job: reminders about monitoring reports and concerns.

Scheduled by notifications/migrations/0009_grant_deadlines (7:15 London time,
editable by managers). Safe to run twice or on two workers at once: every
reminder carries an idempotency key in the outbox.
"""

from datetime import date

from celery import shared_task
from django.utils import timezone

from .monitoring_services import run_report_deadlines


def check_deadlines(today: date) -> dict:
    """Remind representatives of reports due soon or missed, and of concerns to answer;
    delete concerns whose email address was not confirmed within 24 hours."""
    # Imported when the job runs: concerns are a feature of their own, beside monitoring.
    from .concern_services import purge_unconfirmed, send_concern_reminders

    reports = run_report_deadlines(today)
    return {
        "reports_reminded": reports.reminded,
        "reports_missed": reports.missed,
        "concerns_reminded": send_concern_reminders(today),
        "concerns_purged": purge_unconfirmed(timezone.now()),
    }


@shared_task(name="grants.tasks.check_grant_deadlines", ignore_result=True)
def check_grant_deadlines() -> dict:
    """Daily: the reminders of section B's deadlines (reports, concerns)."""
    return check_deadlines(timezone.localdate())


def consultations_now(now) -> dict:
    """Open the community's say where due, close it where its window has ended (deleting
    the raw email addresses), delete voices nobody confirmed in time, and a year after a
    grant's end keep only the anonymous counts of the voices about it."""
    # Imported when the job runs, as above: the community's voice is a feature of its own.
    from .consultation_services import close_ended, forget_expired, open_due
    from .voice_services import purge_unconfirmed

    opened = open_due(now)
    return {
        "backing_opened": opened["backing"],
        "verdicts_opened": opened["verdict"],
        "closed": close_ended(now),
        "unconfirmed_purged": purge_unconfirmed(now),
        "forgotten": forget_expired(now),
    }


@shared_task(name="grants.tasks.run_consultations", ignore_result=True)
def run_consultations() -> dict:
    """Hourly (grants/migrations/0007): the community's say opened and closed on time."""
    return consultations_now(timezone.now())
