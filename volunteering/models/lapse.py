"""A published opportunity's closing date: the reminder sent before it lapses.

One row per opportunity and closing date, written under the opportunity's row lock
in the same transaction as the emails (volunteering.lapse_services): the job can
run twice, or on two workers at once, and the organisation is reminded once. An
extended closing date is a new date, so the organisation is reminded again before
that one.
"""

from django.db import models
from django.utils import timezone


class LapseReminder(models.Model):
    """The organisation was reminded that this opportunity closes on `ends_on`."""

    opportunity = models.ForeignKey(
        "volunteering.Opportunity", on_delete=models.CASCADE, related_name="lapse_reminders"
    )
    ends_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "ends_on"], name="lapse_reminder_once_per_closing_date"
            )
        ]

    def __str__(self):
        return f"{self.opportunity} closes on {self.ends_on}: reminded {self.sent_at:%Y-%m-%d}"
