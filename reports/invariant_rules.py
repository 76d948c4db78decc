"""The invariants as data: each rule an auditor can read, what breaks it, and shared sums.

Checked by `reports.invariants.check_ledger` (strands, months, summaries) and
`reports.entry_invariants` (entries, packages, claims).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from allowances.models import (
    ENDED,
    AgreedStatus,
    LedgerKind,
)

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
COMMITMENT, RELEASE, SPEND = LedgerKind.COMMITMENT, LedgerKind.RELEASE, LedgerKind.SPEND
# Agreed and not yet paid or ended: the value is still held committed.
HOLDING = [s for s in AgreedStatus.values if s not in (*ENDED, AgreedStatus.PAID)]


@dataclass(frozen=True)
class Rule:
    code: str
    says: str  # the invariant, as a sentence an auditor can read


@dataclass(frozen=True)
class Finding:
    """One break: which rule, the thing that breaks it (kind and id) and the figures."""

    rule: Rule
    subject: str  # "agreed package", "ledger entry", "claim", "strand", "budget year"
    subject_id: int
    detail: str

    def __str__(self):
        return f"{self.subject} {self.subject_id}: {self.detail}"


STRAND_MATCHES_DASHBOARD = Rule(
    "S1",
    "Each strand's committed, spent and available, worked out here from its ledger rows, "
    "equal the budget dashboard's figures (reports.selectors.year_strands).",
)
MONTHS_ADD_UP = Rule(
    "S2",
    "Each budget year's month-by-month figures on the dashboard (reports.selectors.monthly_sums) "
    "add up to the year's commitments, releases and spend.",
)
STRAND_NOT_BELOW_ZERO = Rule(
    "S3",
    "No strand is below zero except by what its entries marked as a manager's override "
    "account for (available + those entries' amounts is at least £0.00).",
)
STRANDS_WITHIN_YEAR = Rule(
    "S4", "Each budget year's strands add up to no more than the year's total."
)
SUMMARIES_MATCH_LEDGER = Rule(
    "S5",
    "Each strand's running totals (allowances.StrandTotal) and its totals by menu package, "
    "month and kind (allowances.LedgerMonth) equal the sums and counts of its ledger rows.",
)
ENTRY_ON_PACKAGE_STRAND = Rule(
    "L1",
    "Every ledger entry for a package is on the strand, and for the organisation, of its "
    "agreed package.",
)
ONE_COMMITMENT = Rule(
    "P1",
    "Every agreed package has exactly one commitment, of its agreed value, marked as an "
    "override exactly when the package records a budget override.",
)
HOLDING_UNTOUCHED = Rule(
    "P2",
    "A package not yet paid, cancelled or expired (agreed … claimed) still holds its value "
    "committed: nothing released, nothing spent.",
)
ENDED_RELEASED = Rule(
    "P3",
    "A cancelled or expired package has its commitment released in full, in one release, "
    "and nothing spent.",
)
PAID_RELEASED_AND_SPENT = Rule(
    "P4",
    "A paid package has its commitment released in full, in one release, and exactly one spend.",
)
NOTHING_BEYOND_COMMITTED = Rule(
    "P5",
    "Nothing is released beyond what a package committed, and nothing spent beyond it unless "
    "the spend records a manager's override.",
)
OVERRIDE_ONLY_WHEN_NEEDED = Rule(
    "P6",
    "A spend marked as a manager's override is above the package's value (an override never "
    "hides an ordinary spend).",
)
CLAIM_HAS_ONE_SPEND = Rule(
    "C1",
    "Every approved claim's package is paid and has exactly one spend entry, of the amount "
    "paid, on the package's strand.",
)
SPEND_HAS_CLAIM = Rule("C2", "Every spend entry belongs to an approved claim of its package.")
CLAIMED_HAS_WAITING_CLAIM = Rule(
    "C3",
    "A package is 'payment claimed' exactly when one claim for it is waiting for approval.",
)

AWARD_KEPT = Rule(
    "A1",
    "Every award has exactly one commitment, of its amount, every entry on the award's "
    "own strand and for its organisation (none when it pays a named payee); every instalment "
    "paid is released from the "
    "commitment, and nothing is released beyond what it committed.",
)

RULES = [
    STRAND_MATCHES_DASHBOARD,
    MONTHS_ADD_UP,
    STRAND_NOT_BELOW_ZERO,
    STRANDS_WITHIN_YEAR,
    SUMMARIES_MATCH_LEDGER,
    ENTRY_ON_PACKAGE_STRAND,
    ONE_COMMITMENT,
    HOLDING_UNTOUCHED,
    ENDED_RELEASED,
    PAID_RELEASED_AND_SPENT,
    NOTHING_BEYOND_COMMITTED,
    OVERRIDE_ONLY_WHEN_NEEDED,
    CLAIM_HAS_ONE_SPEND,
    SPEND_HAS_CLAIM,
    CLAIMED_HAS_WAITING_CLAIM,
    AWARD_KEPT,
]

# Each package rule as the condition that BREAKS it, over the figures `_package_figures`
# annotates: one query finds every package that breaks any of them.
PACKAGE_RULES = {
    ONE_COMMITMENT: ~Q(n_commitments=1)
    | ~Q(committed=F("value"))
    | Q(budget_override=True, n_commitment_overrides=0)
    | Q(budget_override=False, n_commitment_overrides__gt=0),
    HOLDING_UNTOUCHED: Q(status__in=HOLDING) & (Q(n_releases__gt=0) | Q(n_spends__gt=0)),
    ENDED_RELEASED: Q(status__in=ENDED)
    & (~Q(n_releases=1) | ~Q(released=F("committed")) | Q(n_spends__gt=0)),
    PAID_RELEASED_AND_SPENT: Q(status=AgreedStatus.PAID)
    & (~Q(n_releases=1) | ~Q(released=F("committed")) | ~Q(n_spends=1)),
    NOTHING_BEYOND_COMMITTED: Q(released__gt=F("committed"))
    | Q(spent__gt=F("committed"), n_spend_overrides=0),
    OVERRIDE_ONLY_WHEN_NEEDED: Q(n_spend_overrides__gt=0, spent__lte=F("value")),
}


def kind_sum(kind: str, prefix: str = "ledger__"):
    return sum_where(Q(**{f"{prefix}kind": kind}), prefix)


def sum_where(condition: Q, prefix: str = ""):
    return Coalesce(Sum(f"{prefix}amount", filter=condition), Value(ZERO), output_field=MONEY)


def kind_count(kind: str, **more):
    return Count(
        "ledger", filter=Q(ledger__kind=kind, **{f"ledger__{k}": v for k, v in more.items()})
    )
