"""Money a strand commits to something other than a menu package: an award or agreement.

Section B's representation grants are decided in the `grants` app, and section
C's volunteer centre agreement in `volunteering`, both above this one; each
calls `award_services.commit_award`, which writes one of these and its
commitment, through the same ledger, lock and below-zero guard as packages.
Each instalment paid is a spend against it (paid when its monitoring report is
accepted: instalment_rules, instalment_models, instalment_services); what is
not paid when the award ends or is withdrawn is released. This app knows an
award only by its reference, title and whom it pays, never the apps' own rows.

Whom it pays: an organisation (a grant), or, named in `payee`, someone this
app cannot know, such as a provider on the register (the volunteer centre).
Exactly one of the two.
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
        Organisation,
        on_delete=models.PROTECT,
        related_name="strand_awards",
        null=True,
        blank=True,
    )
    # Whom the award pays when it is not an organisation: the provider's name, say.
    payee = models.CharField(max_length=200, blank=True)
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
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, payee="")
                | (Q(organisation__isnull=True) & ~Q(payee="")),
                name="strand_award_pays_one",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.reference})"

    @property
    def paid_to(self) -> str:
        """Whom the award pays, in words (reads `organisation` when there is one)."""
        return self.payee or self.organisation.name
