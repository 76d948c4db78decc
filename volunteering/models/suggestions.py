"""A broker's suggestion of an opportunity to a volunteer (issue 14): "brokers can suggest an
opportunity to a volunteer or a volunteer to an organisation". Both are this row: an
organisation sees a volunteer only once the volunteer says they are interested, so a
volunteer suggested for an organisation's role is asked, and the organisation hears
when they say yes (their interest then names the broker who suggested it).

Personal data: deleted with the volunteer.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Suggestion(models.Model):
    volunteer = models.ForeignKey(
        "volunteering.Volunteer", on_delete=models.CASCADE, related_name="suggestions"
    )
    opportunity = models.ForeignKey(
        "volunteering.Opportunity", on_delete=models.PROTECT, related_name="suggestions"
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "opportunity"], name="suggestion_once_per_volunteer"
            ),
        ]

    def __str__(self):
        return f"Suggestion {self.pk} of {self.opportunity_id} to volunteer {self.volunteer_id}"
