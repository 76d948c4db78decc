"""The outbox: every email is written here first, in the transaction that causes it."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    recipient = models.EmailField()
    kind = models.CharField(max_length=64)
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # Files sent with the email, kept as text in the row so a retry sends the
    # same bytes: [{"filename": ..., "content": ..., "mimetype": ...}].
    attachments = models.JSONField(default=list, blank=True)
    # Set where one event must never produce two emails (a reminder for one
    # deadline); the database refuses the second.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The sweep sends a pending message only once this time has come: after a
    # failure it is pushed back by notifications.rules.retry_delay.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    first_failed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="notification_due_idx",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sent", "failed"]),
                name="notification_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="notification_sent_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status="failed", failed_at__isnull=False) | ~Q(status="failed"),
                name="notification_failed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.kind} to {self.recipient} ({self.status})"

    @property
    def is_account_secret(self) -> bool:
        """Sign-in emails carry one-time links: never shown again on a page."""
        return self.kind.startswith("account:")
