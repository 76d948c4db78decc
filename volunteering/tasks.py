"""Section C's daily job: published opportunities closed after their closing date, and
their organisations reminded a week before.

Scheduled by volunteering/migrations/0002_lapse_schedule (6:40 London time, editable by
managers). Safe to run twice or on two workers at once (see lapse_services).
"""

from celery import shared_task
from django.utils import timezone

from .lapse_services import run_closing_dates


@shared_task(name="volunteering.tasks.check_closing_dates", ignore_result=True)
def check_closing_dates() -> dict:
    """Daily: close lapsed opportunities, remind of those closing within a week."""
    run = run_closing_dates(timezone.localdate())
    return {"closed": run.closed, "reminded": run.reminded}
