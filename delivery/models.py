"""The work on an agreed package: the request to a provider, delivery, rating and payment.

The agreed package's own status (allowances.AgreedStatus) says where the journey
is; the rows here hold what each step recorded. Every lifecycle here has its
states as choices constrained in the database and its moves written down as
data; `delivery.services` has one function per move.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from allowances.models import MONEY, AgreedPackage
from providers.models import Provider, StoredFile

from .rules import INVOICE_REFERENCE_MAX_LENGTH


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the provider"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


REQUEST_TRANSITIONS = {
    RequestStatus.PENDING: {
        RequestStatus.ACCEPTED,
        RequestStatus.DECLINED,
        RequestStatus.WITHDRAWN,
    },
    RequestStatus.ACCEPTED: set(),
    RequestStatus.DECLINED: set(),
    RequestStatus.WITHDRAWN: set(),
}
LIVE_REQUEST = Q(status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED])


class ProviderRequestQuerySet(models.QuerySet):
    def live(self):
        return self.filter(LIVE_REQUEST)


class ProviderRequest(models.Model):
    """An organisation asks a provider to deliver one agreed package.

    Once accepted it is the engagement: the planned dates, the delivery
    sessions, the outcome, the rating and the claims all hang from it.
    """

    Status = RequestStatus

    agreed_package = models.ForeignKey(
        AgreedPackage, on_delete=models.PROTECT, related_name="provider_requests"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="requests")
    message = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    outcome_summary = models.TextField(blank=True)

    objects = ProviderRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["provider", "status"], name="provider_request_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="provider_request_status_valid"
            ),
            # One live request per agreed package: a double-submitted request form,
            # or two people choosing at once, cannot make a second.
            models.UniqueConstraint(
                fields=["agreed_package"], condition=LIVE_REQUEST, name="one_live_request"
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="provider_request_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted")
                | Q(
                    planned_start__isnull=False,
                    planned_end__isnull=False,
                    planned_end__gte=F("planned_start"),
                ),
                name="provider_request_accepted_has_dates",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", responded_at__isnull=True)
                | (~Q(status="pending") & Q(responded_at__isnull=False)),
                name="provider_request_responded_has_time",
            ),
        ]

    def __str__(self):
        agreed = self.agreed_package
        return f"{agreed.package} for {agreed.organisation} from {self.provider}"


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    PHONE = "phone", "By phone"
    MIXED = "mixed", "In person and online"


class DeliverySession(models.Model):
    """One session of support the provider logged."""

    Mode = DeliveryMode

    request = models.ForeignKey(ProviderRequest, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField("date of the session")
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    mode = models.CharField(max_length=16, choices=DeliveryMode.choices)
    topics = models.TextField("topics covered")
    attendees = models.TextField("who attended")
    notes = models.TextField(blank=True)
    # An optional attachment, checked and stored like eligibility evidence.
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_stored_name = models.CharField(max_length=64, blank=True)
    attachment_content_type = models.CharField(max_length=100, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24), name="delivery_session_hours_range"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=DeliveryMode.values), name="delivery_session_mode_valid"
            ),
        ]

    def __str__(self):
        return f"Session on {self.held_on} ({self.hours} hours)"


class Rating(models.Model):
    """An organisation's rating of the provider that delivered its package. One per package."""

    request = models.OneToOneField(ProviderRequest, on_delete=models.PROTECT, related_name="rating")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(default=timezone.now)
    reply = models.TextField(blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    # An officer may hide an abusive comment; the score still counts.
    hidden_reason = models.TextField(blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_one_to_five"
            ),
            models.CheckConstraint(
                condition=Q(replied_at__isnull=True, reply="")
                | (Q(replied_at__isnull=False) & ~Q(reply="")),
                name="rating_reply_once_with_text",
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True, hidden_reason="")
                | (Q(hidden_at__isnull=False) & ~Q(hidden_reason="")),
                name="rating_hidden_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.score} out of 5 for {self.request.provider}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class DisputeOutcome(models.TextChoices):
    BACK_TO_DELIVERY = "back_to_delivery", "Back to the provider to finish delivery"
    CONFIRMED = "confirmed", "Delivery confirmed"


class Dispute(models.Model):
    """The organisation says the work was not delivered as agreed; an officer resolves it."""

    Outcome = DisputeOutcome

    request = models.ForeignKey(ProviderRequest, on_delete=models.PROTECT, related_name="disputes")
    reason = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=DisputeOutcome.choices, blank=True)
    resolution = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="", resolved_at__isnull=True, resolution="")
                | (
                    Q(outcome__in=DisputeOutcome.values, resolved_at__isnull=False)
                    & ~Q(resolution="")
                ),
                name="dispute_resolved_has_outcome_and_reason",
            ),
            models.UniqueConstraint(
                fields=["request"], condition=Q(outcome=""), name="one_open_dispute"
            ),
        ]

    def __str__(self):
        return f"Dispute about {self.request}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


CLAIM_TRANSITIONS = {
    ClaimStatus.SUBMITTED: {ClaimStatus.APPROVED, ClaimStatus.REJECTED},
    ClaimStatus.APPROVED: set(),
    ClaimStatus.REJECTED: set(),
}


class Claim(models.Model):
    """The provider's claim for payment after the organisation confirmed delivery."""

    Status = ClaimStatus

    request = models.ForeignKey(ProviderRequest, on_delete=models.PROTECT, related_name="claims")
    # Also reachable through the request, but kept here for the database's
    # "one waiting or approved claim per package" constraint below.
    agreed_package = models.ForeignKey(
        AgreedPackage, on_delete=models.PROTECT, related_name="claims"
    )
    amount = models.DecimalField(**MONEY)
    # The provider's own reference for its invoice, which finance matches the
    # payment to. Required on every new claim (delivery.rules); blank only on
    # claims sent before it was asked for, shown as "Not given".
    invoice_reference = models.CharField(max_length=INVOICE_REFERENCE_MAX_LENGTH, blank=True)
    note = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    amount_paid = models.DecimalField(null=True, blank=True, **MONEY)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="claim_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_amount_positive"),
            # A claim waiting or approved blocks another: never paid twice.
            models.UniqueConstraint(
                fields=["agreed_package"],
                condition=Q(status__in=["submitted", "approved"]),
                name="one_live_claim_per_package",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted", decided_at__isnull=True)
                | Q(status="approved", decided_at__isnull=False, amount_paid__isnull=False)
                | (Q(status="rejected", decided_at__isnull=False) & ~Q(decision_reason="")),
                name="claim_decision_recorded",
            ),
        ]

    def __str__(self):
        return f"Claim {self.reference} for £{self.amount}"

    @property
    def provider(self) -> Provider:
        return self.request.provider

    @property
    def reference(self) -> str:
        """The reference the council's finance system and the provider both quote."""
        return f"VCS-CLM-{self.pk:06d}"


class ClaimInvoice(StoredFile):
    """The invoice a provider attached to its claim: checked and stored under the evidence
    upload rules (diagnostics.uploads), like its insurance certificates. Optional."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="invoice")

    def __str__(self):
        return f"Invoice {self.original_name} for {self.claim}"
