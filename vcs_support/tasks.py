from celery import shared_task
from django.utils import timezone

from .officer_digest import send_officer_digest as send_digest


@shared_task(ignore_result=True)
def send_officer_digest() -> int:
    """Daily: email officers what has waited longer than its deadline (if anything has)."""
    return send_digest(timezone.localdate())
