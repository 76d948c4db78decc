from celery import shared_task

from .alerts import alert_if_past_threshold, strand_ids_to_check
from .budget_report import send_weekly_budget_report


@shared_task(ignore_result=True)
def check_budget_thresholds() -> int:
    """Hourly: tell managers of any strand newly past 75%, 90% or 100%."""
    return sum(alert_if_past_threshold(pk) is not None for pk in strand_ids_to_check())


@shared_task(ignore_result=True)
def send_budget_report() -> str:
    """Monday morning: the report on the week just ended, to every manager."""
    return send_weekly_budget_report().label
