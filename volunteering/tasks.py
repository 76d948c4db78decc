"""Section C's daily jobs. Each is safe to run twice or on two workers at once."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="volunteering.tasks.run_volunteer_jobs", ignore_result=True)
def run_volunteer_jobs() -> dict:
    """Daily (06:20 London time, volunteering/migrations/0003_volunteer_jobs_schedule):
    remind organisations of interest unanswered in 5 working days, and warn, then delete,
    volunteers two years without activity."""
    from .interest_reminders import remind_unanswered
    from .volunteer_privacy import run_inactivity

    return {
        "interest_reminded": remind_unanswered(timezone.localdate()),
        **run_inactivity(timezone.now()),
    }
