"""Section C's funding: the volunteer centre's agreement on the volunteering strand.

- `CentreAgreement`: a manager agrees the volunteer centre's funding with a provider on
  the register (the centre, Option 1; or the brokerage provider, Option 2): its amount and
  period are an award on the volunteering support strand (allowances.StrandAward, paying
  the provider by name), committed in the one ledger with the same lock and guards as
  packages and section B's grants; the payment schedule sets its instalments.
- `CentreReport`: one per instalment, made with the agreement. The centre's brokers send
  it after its period; a council officer accepts it, which pays that instalment as spend,
  or asks for more. Its shape and moves are every award's
  (allowances.instalment_models / instalment_services), as section B's reports are; what
  is the centre's own is what it reports, and the service's figures for the period as they
  stood when it was sent.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from allowances.instalment_models import InstalmentReport, PaymentSchedule, report_constraints


class CentreAgreement(models.Model):
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="centre_agreements"
    )
    award = models.OneToOneField(
        "allowances.StrandAward", on_delete=models.PROTECT, related_name="centre_agreement"
    )
    schedule = models.CharField(
        max_length=16, choices=PaymentSchedule.choices, default=PaymentSchedule.QUARTERLY
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Ended early by a manager: reports not yet sent are no longer due, and what was not
    # paid went back to the strand (allowances.instalment_services.end_award).
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(schedule__in=PaymentSchedule.values),
                name="centre_agreement_schedule_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True, ended_by__isnull=True, end_reason="")
                | (
                    models.Q(ended_at__isnull=False, ended_by__isnull=False)
                    & ~models.Q(end_reason="")
                ),
                name="centre_agreement_ended_whole",
            ),
        ]

    def __str__(self):
        return f"Volunteer centre agreement {self.pk}"


class CentreReport(InstalmentReport):
    """The volunteer centre's report for one period; accepting it pays that instalment."""

    agreement = models.ForeignKey(CentreAgreement, on_delete=models.PROTECT, related_name="reports")
    # What the centre reports.
    work_done = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    difficulties = models.TextField(blank=True)
    next_period = models.TextField(blank=True)
    # The service's own figures for the period, as they stood when the report was sent.
    figures = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["agreement", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period"], name="centre_report_once_per_period"
            ),
            *report_constraints("centre_report"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="centre_report_status_due")]

    def __str__(self):
        return f"Report {self.period} for volunteer centre agreement {self.agreement_id}"
