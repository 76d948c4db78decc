"""The value of an hour of volunteering, as a manager sets it with its source (issue 14):
the volunteering report multiplies confirmed hours by the newest. Each change is a new
row, so the report always says which value, set by whom and when, and the trail of
earlier values stays."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class VolunteerHourValue(models.Model):
    value = models.DecimalField("value of an hour", max_digits=6, decimal_places=2)
    source = models.CharField(max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-set_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gt=0), name="volunteer_hour_value_positive"
            ),
        ]

    def __str__(self):
        return f"£{self.value} an hour ({self.source})"
