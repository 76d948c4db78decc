"""The shape every award's monitoring report shares: `InstalmentReport`.

An abstract model: each app that holds agreements (grants for section B's
representation grants, volunteering for the volunteer centre) subclasses it
with what its reports say and the row it hangs off, and the same rules
(instalment_rules) and moves (instalment_services) serve all of them. Each
subclass adds `report_constraints(prefix)` to its Meta: the database's own
guards on the status, the sender and the payment, named by the app.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

MONEY = {"max_digits": 12, "decimal_places": 2}


class PaymentSchedule(models.TextChoices):
    """How an award is paid (instalment_rules.SCHEDULE_MONTHS)."""

    SINGLE = "single", "One payment at the start of the grant period"
    ANNUAL = "annual", "Yearly instalments"
    HALF_YEARLY = "half_yearly", "Half-yearly instalments"
    QUARTERLY = "quarterly", "Quarterly instalments"
    MONTHLY = "monthly", "Monthly instalments"


class ReportStatus(models.TextChoices):
    DUE = "due", "Not sent yet"
    SENT = "sent", "Sent, waiting for the council"
    MORE_NEEDED = "more_needed", "More information asked for"
    ACCEPTED = "accepted", "Accepted and instalment paid"
    WITHDRAWN = "withdrawn", "No longer due: the award ended early"


class InstalmentReport(models.Model):
    """The report for one period of an award; accepting it pays that period's instalment."""

    Status = ReportStatus

    period = models.PositiveSmallIntegerField(help_text="1 for the grant's first period")
    period_starts_on = models.DateField()
    period_ends_on = models.DateField()
    due_on = models.DateField(help_text="When the report is due")
    amount = models.DecimalField(**MONEY, help_text="The instalment its acceptance pays")
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default="due")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    # The council's review: what more is needed, or acceptance and the payment.
    more_needed = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    payment = models.OneToOneField(
        "allowances.LedgerEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(app_label)s_report",
    )
    reminded_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def report_constraints(prefix: str) -> list:
    """The database's guards on an InstalmentReport table, each named `<prefix>_…`."""
    return [
        models.CheckConstraint(
            condition=Q(status__in=ReportStatus.values), name=f"{prefix}_status_valid"
        ),
        models.CheckConstraint(condition=Q(amount__gt=0), name=f"{prefix}_amount_positive"),
        models.CheckConstraint(
            condition=Q(period_ends_on__gte=F("period_starts_on")),
            name=f"{prefix}_period_in_order",
        ),
        # Sent or accepted: who sent it and when. Accepted: who, when, and the payment;
        # nothing else has a payment.
        models.CheckConstraint(
            condition=Q(status__in=["due", "more_needed", "withdrawn"])
            | Q(sent_at__isnull=False, sent_by__isnull=False),
            name=f"{prefix}_sent_has_sender",
        ),
        models.CheckConstraint(
            condition=Q(
                status="accepted",
                payment__isnull=False,
                reviewed_at__isnull=False,
                reviewed_by__isnull=False,
            )
            | (~Q(status="accepted") & Q(payment__isnull=True)),
            name=f"{prefix}_accepted_is_paid",
        ),
        models.CheckConstraint(
            condition=~Q(status="more_needed") | ~Q(more_needed=""),
            name=f"{prefix}_more_needed_says_what",
        ),
    ]
