from celery import shared_task
from django.utils import timezone

from .alerts import alert_if_past_threshold, strand_ids_to_check
from .budget_report import send_weekly_budget_report
from .reminders import run_choose_provider_deadlines


@shared_task(ignore_result=True)
def check_budget_thresholds() -> int:
    """Hourly: tell managers of any strand newly past 75%, 90% or 100%."""
    return sum(alert_if_past_threshold(pk) is not None for pk in strand_ids_to_check())


@shared_task(ignore_result=True)
def send_budget_report() -> str:
    """Monday morning: the report on the week just ended, to every manager."""
    return send_weekly_budget_report().label


@shared_task(ignore_result=True)
def check_package_deadlines() -> dict:
    """Daily: remind organisations to choose a provider; expire packages past the deadline."""
    run = run_choose_provider_deadlines(timezone.localdate())
    return {"reminded": run.reminded, "expired": run.expired}
