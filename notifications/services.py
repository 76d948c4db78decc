"""Writing to the outbox and delivering from it."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


def queue_email(
    *, to: str, subject: str, body_text: str, body_html: str = "", kind: str, key: str | None = None
) -> Notification | None:
    """Write one email to the outbox in the caller's transaction; send it after commit.

    With `key`, a second call for the same key writes nothing and returns None,
    so a job that runs twice never sends twice.
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=to,
                subject=subject.strip(),
                body_text=body_text,
                body_html=body_html,
                kind=kind,
                idempotency_key=key,
            )
    except IntegrityError:
        if key is None:
            raise
        return None
    transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


def queue_templated_email(*, to: str, template: str, context: dict, kind: str, key=None):
    """Render `emails/<template>_subject.txt` and `_body.txt` and queue the result."""
    context = {
        **context,
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "SERVICE_NAME": settings.SERVICE_NAME,
    }
    subject = render_to_string(f"emails/{template}_subject.txt", context)
    body = render_to_string(f"emails/{template}_body.txt", context)
    return queue_email(to=to, subject=" ".join(subject.split()), body_text=body, kind=kind, key=key)


def enqueue(notification_id: int) -> None:
    """Hand one notification to the workers; if the broker is down, the sweep will."""
    from .tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception as exc:  # noqa: BLE001 - the broker's failure must not fail the request
        logger.warning("Could not queue notification %s, the sweep will: %s", notification_id, exc)


def deliver(notification_id: int) -> bool:
    """Send one pending notification and mark it sent. True if this call sent it.

    The row is locked (skipping one another worker holds), so two workers never
    send the same message.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if notification is None:
            return False
        message = EmailMultiAlternatives(
            subject=notification.subject,
            body=notification.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.recipient],
        )
        if notification.body_html:
            message.attach_alternative(notification.body_html, "text/html")
        notification.attempts += 1
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - record any mail failure and try later
            notification.last_error = str(exc)[:2000]
            notification.save(update_fields=["attempts", "last_error"])
            logger.warning("Sending notification %s failed: %s", notification.pk, exc)
            return False
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.save(update_fields=["attempts", "status", "sent_at"])
        return True
