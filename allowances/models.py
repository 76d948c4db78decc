"""Caps, budget strands, the ledger and agreed packages.

Money is Decimal in pounds and pence. The ledger is the record; the two
summaries below it (each strand's running totals, and its totals by package,
month and kind) are written in the same transaction as each entry, by
`ledger.post`, so the dashboards read a handful of rows however long the
ledger grows. `manage.py check_ledger` proves them equal to the ledger rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from organisations.models import Organisation, OrganisationOwnedQuerySet
from packages.models import Package, Strand

from .rules import FINANCIAL_YEAR, ROLLING, CapPolicy, fy_end, fy_label, fy_start

MONEY = {"max_digits": 12, "decimal_places": 2}


class CapBasis(models.TextChoices):
    FINANCIAL_YEAR = FINANCIAL_YEAR, "Financial years (1 April to 31 March)"
    ROLLING = ROLLING, "Rolling (any 365 days, counted by agreement date)"


class CapPolicyVersion(models.Model):
    """The caps in force from `effective_from` until the next version takes effect."""

    effective_from = models.DateField(unique=True)
    per_year = models.PositiveSmallIntegerField("packages per year", default=2)
    per_period = models.PositiveSmallIntegerField("packages per period", default=4)
    period_years = models.PositiveSmallIntegerField("period length in years", default=3)
    basis = models.CharField(
        max_length=16, choices=CapBasis.choices, default=CapBasis.FINANCIAL_YEAR
    )
    note = models.TextField("why the rules changed", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(basis__in=[FINANCIAL_YEAR, ROLLING]), name="cap_policy_basis_valid"
            ),
            models.CheckConstraint(condition=Q(per_year__gte=1), name="cap_policy_per_year_min"),
            models.CheckConstraint(
                condition=Q(per_period__gte=F("per_year")), name="cap_policy_period_not_below_year"
            ),
            models.CheckConstraint(
                condition=Q(period_years__gte=1, period_years__lte=10),
                name="cap_policy_period_years_range",
            ),
        ]

    def __str__(self):
        return (
            f"{self.per_year} a year, {self.per_period} in {self.period_years} years, "
            f"from {self.effective_from}"
        )

    def as_rule(self) -> CapPolicy:
        return CapPolicy(
            per_year=self.per_year,
            per_period=self.per_period,
            period_years=self.period_years,
            basis=self.basis,
            effective_from=self.effective_from,
        )


class BudgetYear(models.Model):
    """One financial year's budget, split into strands."""

    start_year = models.PositiveSmallIntegerField(
        unique=True, help_text="The year of the 1 April the financial year starts on."
    )
    total = models.DecimalField(**MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="budget_year_total_positive"),
        ]

    def __str__(self):
        return f"Budget {self.label}"

    @property
    def label(self) -> str:
        return fy_label(self.start_year)

    @property
    def starts_on(self):
        return fy_start(self.start_year)

    @property
    def ends_on(self):
        return fy_end(self.start_year)


class BudgetStrand(models.Model):
    """A ring-fenced part of a year's budget. Its row is the lock for spending from it."""

    budget_year = models.ForeignKey(BudgetYear, on_delete=models.PROTECT, related_name="strands")
    kind = models.CharField(max_length=32, choices=Strand.choices)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["budget_year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "kind"], name="budget_strand_one_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="budget_strand_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Strand.values), name="budget_strand_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.budget_year.label}"


class AgreedStatus(models.TextChoices):
    AGREED = "agreed", "Agreed"
    PROVIDER_REQUESTED = "provider_requested", "Provider requested"
    ACCEPTED = "accepted", "Accepted by provider"
    IN_DELIVERY = "in_delivery", "Being delivered"
    DELIVERED = "delivered", "Delivered"
    CONFIRMED = "confirmed", "Delivery confirmed"
    DISPUTED = "disputed", "Delivery disputed"
    CLAIMED = "claimed", "Payment claimed"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


S = AgreedStatus
# Allowed moves, as data. `agree_package` creates rows in AGREED; each other
# move has one service: cancelling and expiring in `allowances.services`, the
# provider's part of the journey in `delivery.services`.
TRANSITIONS = {
    S.AGREED: {S.PROVIDER_REQUESTED, S.CANCELLED, S.EXPIRED},
    # Declined or withdrawn: back to AGREED to choose again.
    S.PROVIDER_REQUESTED: {S.AGREED, S.ACCEPTED, S.CANCELLED},
    S.ACCEPTED: {S.IN_DELIVERY, S.CANCELLED},
    S.IN_DELIVERY: {S.DELIVERED, S.CANCELLED},
    S.DELIVERED: {S.CONFIRMED, S.DISPUTED},
    # An officer resolves a dispute: back to delivery, or confirmed.
    S.DISPUTED: {S.IN_DELIVERY, S.CONFIRMED},
    S.CONFIRMED: {S.CLAIMED},
    # A rejected claim returns the package to CONFIRMED to claim again.
    S.CLAIMED: {S.PAID, S.CONFIRMED},
    S.PAID: set(),
    S.CANCELLED: set(),
    S.EXPIRED: set(),
}

# How a refused move is worded: "This package is paid, so it cannot be claimed for now."
MOVE_WORDS = {
    S.AGREED: "sent back to choose a provider",
    S.PROVIDER_REQUESTED: "sent to a provider",
    S.ACCEPTED: "accepted",
    S.IN_DELIVERY: "delivered",
    S.DELIVERED: "marked delivered",
    S.CONFIRMED: "confirmed",
    S.DISPUTED: "disputed",
    S.CLAIMED: "claimed for",
    S.PAID: "paid",
    S.CANCELLED: "cancelled",
    S.EXPIRED: "expired",
}

ENDED = [S.CANCELLED, S.EXPIRED]
NOT_STARTED = [S.AGREED, S.PROVIDER_REQUESTED, S.ACCEPTED]
STARTED = [S.IN_DELIVERY, S.DELIVERED, S.CONFIRMED, S.DISPUTED, S.CLAIMED, S.PAID]

# A package counts against the caps from agreement, for ever, unless it was
# cancelled or expired before delivery started. One definition, used by the
# queryset and by the database's unique slot index below.
COUNTS_TOWARD_CAPS = ~Q(status__in=ENDED) | Q(delivery_started_on__isnull=False)


class AgreedPackageQuerySet(OrganisationOwnedQuerySet):
    def counting(self):
        return self.filter(COUNTS_TOWARD_CAPS)

    def overrides(self):
        return self.filter(Q(cap_override=True) | Q(budget_override=True))


class AgreedPackage(models.Model):
    """A package agreed for an organisation: it counts against caps and commits budget."""

    Status = AgreedStatus

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agreed_packages"
    )
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="agreements")
    strand = models.ForeignKey(BudgetStrand, on_delete=models.PROTECT, related_name="agreements")
    # The package's value when agreed: later price changes never alter it.
    value = models.DecimalField(**MONEY)
    status = models.CharField(
        max_length=20, choices=AgreedStatus.choices, default=AgreedStatus.AGREED, db_index=True
    )
    agreed_on = models.DateField(db_index=True)
    agreed_at = models.DateTimeField(default=timezone.now)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    delivery_started_on = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.TextField(blank=True)
    # A manager's override, for one agreement, with the reason written down.
    cap_override = models.BooleanField(default=False)
    budget_override = models.BooleanField(default=False)
    override_reason = models.TextField(blank=True)
    # Database backstop for the per-year cap on the financial-year basis: each
    # counting package takes a numbered slot in its organisation's year, slots
    # are unique among counting packages, and a slot above the year's cap needs
    # an override. Two racing agreements that both passed the cap check would
    # take the same slot, and the second insert fails. NULL on the rolling basis.
    financial_year = models.PositiveSmallIntegerField()
    year_slot = models.PositiveSmallIntegerField(null=True, blank=True)
    year_cap = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = AgreedPackageQuerySet.as_manager()

    class Meta:
        ordering = ["-agreed_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "agreed_on"], name="agreed_pkg_org_date_idx"),
            # The queues of packages waiting in one status, oldest first (operations,
            # the officer's lists): without it the planner walks the agreed_on index
            # through every package to find the few thousand still waiting.
            models.Index(fields=["status", "agreed_on", "id"], name="agreed_pkg_status_date_idx"),
            models.Index(
                fields=["agreed_at"],
                name="agreed_pkg_override_idx",
                condition=Q(cap_override=True) | Q(budget_override=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AgreedStatus.values), name="agreed_package_status_valid"
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="agreed_package_value_positive"),
            models.CheckConstraint(
                condition=(Q(cap_override=True) | Q(budget_override=True)) & ~Q(override_reason="")
                | Q(cap_override=False, budget_override=False, override_reason=""),
                name="agreed_package_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ENDED, ended_at__isnull=False)
                | (~Q(status__in=ENDED) & Q(ended_at__isnull=True)),
                name="agreed_package_ended_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[*NOT_STARTED, S.EXPIRED], delivery_started_on__isnull=True)
                | Q(status__in=STARTED, delivery_started_on__isnull=False)
                | Q(status="cancelled"),
                name="agreed_package_delivery_start_matches_status",
            ),
            # Written with IS NULL tests only where a column may be NULL: a
            # comparison with NULL is unknown, and CHECK lets unknown through.
            models.CheckConstraint(
                condition=Q(year_slot__isnull=True, year_cap__isnull=True)
                | Q(year_slot__isnull=False, year_cap__isnull=False),
                name="agreed_package_slot_and_cap_together",
            ),
            models.CheckConstraint(
                condition=Q(year_slot__isnull=True)
                | Q(year_slot__gte=1, year_slot__lte=F("year_cap"))
                | Q(year_slot__gte=1, cap_override=True),
                name="agreed_package_slot_within_cap",
            ),
            models.UniqueConstraint(
                fields=["organisation", "financial_year", "year_slot"],
                condition=COUNTS_TOWARD_CAPS,
                name="agreed_package_one_per_slot",
            ),
        ]

    def __str__(self):
        return f"{self.package} for {self.organisation} ({self.agreed_on})"

    @property
    def counts_toward_caps(self) -> bool:
        return self.status not in ENDED or self.delivery_started_on is not None

    @property
    def is_override(self) -> bool:
        return self.cap_override or self.budget_override


class LedgerKind(models.TextChoices):
    COMMITMENT = "commitment", "Commitment"
    RELEASE = "release", "Release"
    SPEND = "spend", "Spend"


class LedgerEntry(models.Model):
    """One movement of money against a strand. Append-only, in the database.

    available = strand amount − (commitments − releases) − spends.
    A PostgreSQL trigger (migration 0002) refuses UPDATE and DELETE, refuses a
    release larger than what the package has committed, and refuses a
    commitment or spend that would take the strand below zero unless the entry
    is marked as a manager's override.
    """

    Kind = LedgerKind

    strand = models.ForeignKey(BudgetStrand, on_delete=models.PROTECT, related_name="ledger")
    # What the money is for: an agreed package, or a grant award (award_models).
    agreed_package = models.ForeignKey(
        AgreedPackage, on_delete=models.PROTECT, related_name="ledger", null=True, blank=True
    )
    award = models.ForeignKey(
        "allowances.StrandAward",
        on_delete=models.PROTECT,
        related_name="ledger",
        null=True,
        blank=True,
    )
    # Whose money: the package's or the award's organisation, written by
    # `ledger.post` so that the breakdowns group packages and awards alike; empty
    # only for an award that pays someone else (StrandAward.payee).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        null=True,
        blank=True,
    )
    kind = models.CharField(max_length=16, choices=LedgerKind.choices)
    amount = models.DecimalField(**MONEY)
    is_override = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the system acted (an expiry).",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "ledger entries"
        indexes = [
            # The ledger pages list newest first (measured: 18 ms to under 8 ms at city scale).
            models.Index(fields=["-created_at", "-id"], name="ledger_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=LedgerKind.values), name="ledger_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(is_override=False) | (~Q(kind="release") & ~Q(note="")),
                name="ledger_override_is_explained_outflow",
            ),
            models.CheckConstraint(
                condition=Q(agreed_package__isnull=False, award__isnull=True)
                | Q(agreed_package__isnull=True, award__isnull=False),
                name="ledger_for_a_package_or_an_award",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} £{self.amount} on {self.strand}"


# The money columns of a summary: sums over many entries need more digits than one entry.
TOTAL = {"max_digits": 14, "decimal_places": 2, "default": 0}


class StrandTotal(models.Model):
    """One strand's ledger rows summed: what the dashboards and the budget check read.

    Written only by `ledger.post` (and rebuilt by `ledger.rebuild_summaries`),
    in the transaction that writes the entry, after the entry: the ledger's
    trigger has by then locked the strand row, so writers queue one behind the
    other and no increment is lost.
    """

    strand = models.OneToOneField(
        BudgetStrand, on_delete=models.PROTECT, primary_key=True, related_name="totals"
    )
    commitments = models.DecimalField(**TOTAL)
    releases = models.DecimalField(**TOTAL)
    spent = models.DecimalField(**TOTAL)
    entries = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Totals of strand {self.strand_id}"


class LedgerMonth(models.Model):
    """A strand's ledger rows summed by menu package, month (London time) and kind.

    Grant awards have no menu package: their rows have none (`package` empty).
    """

    strand = models.ForeignKey(BudgetStrand, on_delete=models.PROTECT, related_name="+")
    package = models.ForeignKey(
        Package, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    month = models.DateField(help_text="The first day of the month, in London time.")
    kind = models.CharField(max_length=16, choices=LedgerKind.choices)
    amount = models.DecimalField(**TOTAL)
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["strand", "package", "month", "kind"],
                condition=Q(package__isnull=False),
                name="ledger_month_one_row",
            ),
            models.UniqueConstraint(
                fields=["strand", "month", "kind"],
                condition=Q(package__isnull=True),
                name="ledger_month_one_awards_row",
            ),
        ]

    def __str__(self):
        return f"{self.kind} on strand {self.strand_id}, package {self.package_id}, {self.month}"


# Grant awards: money committed by something other than a package (award_models).
from .award_models import StrandAward  # noqa: E402

# Override requests (officers asking managers to agree past a cap) are models of
# their own module; imported here so Django and callers find them as before.
from .override_models import (  # noqa: E402
    OverrideRequest,
    OverrideRequestQuerySet,
    OverrideRequestStatus,
)

__all__ = ["OverrideRequest", "OverrideRequestQuerySet", "OverrideRequestStatus", "StrandAward"]
