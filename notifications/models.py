"""The outbox: every email is written here first, in the transaction that causes it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .rules import DAYS, MONTHS, UNITS, WEEKS, WORKING_DAYS, DeadlineRule, Period


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


class DeadlineUnit(models.TextChoices):
    DAYS = DAYS, "days"
    WORKING_DAYS = WORKING_DAYS, "working days"
    WEEKS = WEEKS, "weeks"
    MONTHS = MONTHS, "months"


class Deadline(models.Model):
    """How long one step of the journey may take, and when to remind: set by managers.

    Rows are created by a data migration, one per `code`; the code is what the
    jobs ask for (`notifications.deadlines.deadline("choose_provider")`), so it
    never changes. A row whose deadline date comes from elsewhere (the end of
    eligibility, a certificate's expiry) has no period; a row with no reminder
    before the deadline has no `remind_before`. Managers change the numbers and
    units, not which of them a row has.
    """

    Unit = DeadlineUnit

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=150)
    description = models.TextField()
    period = models.PositiveSmallIntegerField(null=True, blank=True)
    period_unit = models.CharField(max_length=16, choices=DeadlineUnit.choices, blank=True)
    remind_before = models.PositiveSmallIntegerField(null=True, blank=True)
    remind_unit = models.CharField(max_length=16, choices=DeadlineUnit.choices, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty until a manager first changes it.",
    )

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            # A number and its unit come together, and a number is at least 1.
            models.CheckConstraint(
                condition=Q(period__isnull=True, period_unit="")
                | Q(period__gte=1, period_unit__in=list(UNITS)),
                name="deadline_period_with_unit",
            ),
            models.CheckConstraint(
                condition=Q(remind_before__isnull=True, remind_unit="")
                | Q(remind_before__gte=1, remind_unit__in=list(UNITS)),
                name="deadline_reminder_with_unit",
            ),
        ]

    def __str__(self):
        return self.name

    def as_rule(self) -> DeadlineRule:
        return DeadlineRule(
            code=self.code,
            name=self.name,
            period=None if self.period is None else Period(self.period, self.period_unit),
            remind_before=(
                None if self.remind_before is None else Period(self.remind_before, self.remind_unit)
            ),
        )


class NonWorkingDay(models.Model):
    """A one-off day that is not a working day, added by a manager: a jubilee, a closure.

    Bank holidays in England and Wales come from the `holidays` package
    (notifications.calendar); these are the days it cannot know about, or not
    yet. Working-day deadlines skip both (notifications.working_days).
    """

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for a day added outside the manager's pages.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]

    def __str__(self):
        return f"{self.name} ({self.date:%-d %B %Y})"
