from celery import shared_task
from django.utils import timezone

from .reminders import run_insurance_reminders


@shared_task(ignore_result=True)
def check_insurance_expiry() -> dict:
    """Daily: remind providers of insurance ending soon; tell them when approvals lapse."""
    run = run_insurance_reminders(timezone.localdate())
    return {"reminded": run.reminded, "lapsed": run.lapsed}
