"""Section C's jobs: the reminder the day before an event.

Scheduled by volunteering/migrations/0002_events (hourly at ten past, London time,
editable by managers). Safe to run twice or on two workers at once: each booking is
reminded once (locked, marked, and its email keyed in the outbox).
"""

from celery import shared_task
from django.utils import timezone

from .events_services import send_reminders


@shared_task(name="volunteering.tasks.send_event_reminders", ignore_result=True)
def send_event_reminders() -> dict:
    """Hourly: remind everyone with a place on an event that starts tomorrow."""
    return {"reminded": send_reminders(timezone.now())}
