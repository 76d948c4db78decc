"""Writing to the outbox and delivering from it."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import record

from .emails import render_email
from .models import Notification
from .rules import retry_delay, should_give_up

logger = logging.getLogger(__name__)


def queue_email(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    kind: str,
    key: str | None = None,
    attachments: list[dict] | None = None,
) -> Notification | None:
    """Write one email to the outbox in the caller's transaction; send it after commit.

    With `key`, a second call for the same key writes nothing and returns None,
    so a job that runs twice never sends twice. `attachments` are text files:
    [{"filename": ..., "content": ..., "mimetype": ...}].
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
                attachments=attachments or [],
            )
    except IntegrityError:
        if key is None:
            raise
        return None
    transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


def queue_templated_email(
    *, to: str, template: str, context: dict, kind: str, key=None, attachments=None
):
    """Render `emails/<template>_subject.txt` and `_body.txt` (see .emails) and queue them."""
    email = render_email(template, context)
    return queue_email(
        to=to,
        subject=email.subject,
        body_text=email.text,
        body_html=email.html,
        kind=kind,
        key=key,
        attachments=attachments,
    )


def queue_for_each(
    people, *, template: str, context: dict, kind: str, key: str | None = None, attachments=None
):
    """One templated email per person (anything with `.email` and `.pk`), in one transaction.

    Each person is `recipient` in the template. With a `key`, each key ends with
    the person's id, so a job that runs twice, or on two workers at once, still
    tells each person once. Returns how many were queued.
    """
    queued = 0
    with transaction.atomic():
        for person in people:
            queued += (
                queue_templated_email(
                    to=person.email,
                    template=template,
                    context={**context, "recipient": person},
                    kind=kind,
                    key=f"{key}:{person.pk}" if key else None,
                    attachments=attachments,
                )
                is not None
            )
    return queued


def absolute_url(path: str) -> str:
    """A link for an email: `path` (from reverse()) on settings.SITE_URL."""
    return f"{settings.SITE_URL}{path}"


def enqueue(notification_id: int) -> None:
    """Hand one notification to the workers; if the broker is down, the sweep will."""
    from .tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception as exc:  # noqa: BLE001 - the broker's failure must not fail the request
        logger.warning("Could not queue notification %s, the sweep will: %s", notification_id, exc)


def deliver(notification_id: int, *, now=None) -> bool:
    """Send one pending notification and mark it sent. True if this call sent it.

    The row is locked (skipping one another worker holds), so two workers never
    send the same message. A failure pushes the next attempt back by
    rules.retry_delay; after rules.GIVE_UP_AFTER of failures it is marked
    failed, for an officer to retry.
    """
    now = now or timezone.now()
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
        for attachment in notification.attachments:
            message.attach(
                attachment["filename"], attachment["content"], attachment.get("mimetype")
            )
        notification.attempts += 1
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - record any mail failure and try later
            _record_failure(notification, exc, now)
            return False
        notification.status = Notification.Status.SENT
        notification.sent_at = now
        notification.save(update_fields=["attempts", "status", "sent_at"])
        return True


def failure_words(exc: Exception) -> str:
    """What a log line says of a mail failure: its kind and the server's codes, never its
    text, which can hold the recipient's address (an SMTP refusal names it)."""
    codes = []
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _message in exc.recipients.values()})
    elif isinstance(exc, smtplib.SMTPResponseException):
        codes = [str(exc.smtp_code)]
    return type(exc).__name__ + (f" ({', '.join(codes)})" if codes else "")


def _record_failure(notification: Notification, exc: Exception, now) -> None:
    # The row holds the whole message for the officer's failed-emails page (it already
    # holds the address); the log only what failed.
    notification.last_error = str(exc)[:2000]
    notification.first_failed_at = notification.first_failed_at or now
    if should_give_up(first_attempt_at=notification.first_failed_at, now=now):
        notification.status = Notification.Status.FAILED
        notification.failed_at = now
        logger.error("Gave up sending notification %s: %s", notification.pk, failure_words(exc))
    else:
        notification.next_attempt_at = now + retry_delay(notification.attempts)
        logger.warning(
            "Sending notification %s failed, will retry: %s",
            notification.pk,
            failure_words(exc),
        )
    notification.save(
        update_fields=[
            "attempts",
            "last_error",
            "first_failed_at",
            "status",
            "failed_at",
            "next_attempt_at",
        ]
    )


def due_for_sending(now=None):
    """Pending notifications whose next attempt has come, oldest first."""
    now = now or timezone.now()
    return Notification.objects.filter(
        status=Notification.Status.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")


@transaction.atomic
def retry_failed(notification: Notification, *, by) -> Notification:
    """Put a failed notification back in the queue now (an officer's decision)."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.status != Notification.Status.FAILED:
        raise NotificationError("Only a failed email can be retried.")
    notification.status = Notification.Status.PENDING
    notification.failed_at = None
    notification.first_failed_at = None
    notification.next_attempt_at = timezone.now()
    notification.save(update_fields=["status", "failed_at", "first_failed_at", "next_attempt_at"])
    record(
        actor=by,
        action="notification.retried",
        obj=notification,
        from_state="failed",
        to_state="pending",
    )
    transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


class NotificationError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
