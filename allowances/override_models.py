"""An officer's request that a manager agree a package past a cap or the budget."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from organisations.models import Organisation
from packages.models import Package


class OverrideRequestStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a manager"
    AGREED = "agreed", "Agreed with an override"
    REFUSED = "refused", "Refused"


class OverrideRequestQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=OverrideRequestStatus.WAITING)


class OverrideRequest(models.Model):
    """An officer's request that a manager agree a package past a cap or the budget.

    The manager decides with their own reason: agreeing makes the agreed package
    (with the override recorded on it, as if the manager had agreed it), refusing
    ends the request. Either way the officer and the organisation are told.
    """

    Status = OverrideRequestStatus

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="override_requests"
    )
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(help_text="The officer's case for agreeing it anyway.")
    # What refused the officer, in the words they saw, kept for the manager and the record.
    refusals = models.TextField()
    status = models.CharField(
        max_length=16, choices=OverrideRequestStatus.choices, default=OverrideRequestStatus.WAITING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    agreed_package = models.OneToOneField(
        "allowances.AgreedPackage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="override_request",
    )

    objects = OverrideRequestQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "id"]
        indexes = [
            models.Index(
                fields=["requested_at"],
                name="override_request_waiting_idx",
                condition=Q(status="waiting"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OverrideRequestStatus.values),
                name="override_request_status_valid",
            ),
            # Asked twice (a double click, two officers): one request waits.
            models.UniqueConstraint(
                fields=["organisation", "package"],
                condition=Q(status="waiting"),
                name="override_request_one_waiting",
            ),
            models.CheckConstraint(
                condition=Q(status="waiting", decided_at__isnull=True, agreed_package__isnull=True)
                | (
                    Q(status="agreed", decided_at__isnull=False, agreed_package__isnull=False)
                    & ~Q(decision_reason="")
                )
                | (
                    Q(status="refused", decided_at__isnull=False, agreed_package__isnull=True)
                    & ~Q(decision_reason="")
                ),
                name="override_request_decision_recorded",
            ),
        ]

    def __str__(self):
        return f"Override request {self.reference}"

    @property
    def reference(self) -> str:
        return f"VCS-OVR-{self.pk:05d}"
