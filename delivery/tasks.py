from celery import shared_task
from django.utils import timezone

from .reminders import run_delivery_deadlines


@shared_task(ignore_result=True)
def check_delivery_deadlines() -> dict:
    """Daily: remind providers to answer and to deliver, organisations to confirm; tell each,
    and officers of late deliveries, once a deadline is missed."""
    runs = run_delivery_deadlines(timezone.localdate())
    return {code: {"reminded": run.reminded, "missed": run.missed} for code, run in runs.items()}
