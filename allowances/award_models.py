"""Money a strand commits to something other than a menu package: a grant award.

Section B's representation grants are decided in the `grants` app, above this
one; when an offer is accepted, `award_services.commit_award` writes one of
these and its commitment, through the same ledger, lock and below-zero guard as
packages. Each instalment paid is a spend against it; what is not paid when the
grant ends or is withdrawn is released. This app knows an award only by its
reference and title, never the grant's own rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from organisations.models import Organisation

MONEY = {"max_digits": 12, "decimal_places": 2}


class StrandAward(models.Model):
    strand = models.ForeignKey(
        "allowances.BudgetStrand", on_delete=models.PROTECT, related_name="awards"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="strand_awards"
    )
    amount = models.DecimalField(**MONEY)
    # The grant's own reference (VCS-GRA-000123) and what it is for, in words.
    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="strand_award_amount_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="strand_award_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.reference})"
