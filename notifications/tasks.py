from celery import shared_task

from .services import deliver, due_for_sending


@shared_task(ignore_result=True)
def send_notification(notification_id: int) -> bool:
    return deliver(notification_id)


@shared_task(ignore_result=True)
def send_pending_notifications(limit: int = 500) -> int:
    """The sweep: send whatever is still pending (the broker was down, a worker died)."""
    ids = list(due_for_sending().values_list("pk", flat=True)[:limit])
    return sum(deliver(pk) for pk in ids)
