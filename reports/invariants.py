"""The invariants the money depends on, checked against the database (`manage.py check_ledger`).

Read only. Each check is one aggregate query that returns only the rows that
break it, so the cost is a fixed handful of queries (two more per budget year,
for the dashboard's own selectors) whatever the size of the ledger; Python
only ever sees the breaks. What each state implies is derived from the
services that write the ledger:

- `allowances.services.agree_package` writes one commitment of the package's
  value, marked as an override exactly when the agreement is a budget override;
- `cancel_agreed_package` / `expire_agreed_package` release what is still
  committed (one release) and never spend;
- `record_spend` (called by `delivery.services.approve_claim`, the only caller)
  releases the commitment and writes one spend of the amount paid, marked as an
  override exactly when it is above the value, and moves the package to paid;
  the claim is approved in the same transaction;
- every other move (`transition`, `start_delivery`) touches no money.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from allowances import ledger
from allowances.models import (
    ENDED,
    AgreedPackage,
    AgreedStatus,
    BudgetStrand,
    BudgetYear,
    LedgerEntry,
    LedgerKind,
    LedgerMonth,
    StrandTotal,
)
from delivery.models import Claim, ClaimStatus
from packages.models import Strand
from packages.money import format_money

from .selectors import monthly_sums, year_strands

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
    "L1", "Every ledger entry is on the strand its agreed package draws on."
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


@dataclass(frozen=True)
class Figures:
    committed: Decimal
    spent: Decimal
    available: Decimal


@dataclass(frozen=True)
class StrandCheck:
    """One strand's figures from its ledger rows, and what the dashboard shows for it."""

    strand_id: int
    year: str
    name: str
    amount: Decimal
    ledger: Figures
    dashboard: Figures | None
    overrides: Decimal  # the amounts of its entries marked as a manager's override


@dataclass
class LedgerCheck:
    strands: list[StrandCheck]
    counts: dict[str, dict[str, int]]  # {"agreed packages": {"paid": 12, …}, …}
    findings: list[Finding] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=lambda: list(RULES))

    @property
    def clean(self) -> bool:
        return not self.findings

    def broken(self, rule: Rule) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]


def check_ledger() -> LedgerCheck:
    """Every invariant in RULES, checked against the database as it is now."""
    years = list(BudgetYear.objects.order_by("start_year"))
    strands, strand_breaks = strand_checks(years)
    findings = [
        *strand_breaks,
        *month_findings(years),
        *year_total_findings(),
        *summary_findings(),
        *entry_strand_findings(),
        *package_findings(),
        *claim_findings(),
        *spend_findings(),
        *claimed_findings(),
    ]
    return LedgerCheck(strands=strands, counts=counts(), findings=findings)


# ----------------------------------------------------------------- strands


def _ledger_by_strand() -> dict[int, dict]:
    """{strand id: {kind: total, …, "overrides": total}} straight from the ledger: one query."""
    out: dict[int, dict] = defaultdict(lambda: {COMMITMENT: ZERO, RELEASE: ZERO, SPEND: ZERO})
    rows = (
        LedgerEntry.objects.order_by()
        .values("strand_id", "kind")
        .annotate(total=Sum("amount"), overrides=_sum_where(Q(is_override=True)))
    )
    for row in rows:
        sums = out[row["strand_id"]]
        sums[row["kind"]] = row["total"]
        sums["overrides"] = sums.get("overrides", ZERO) + row["overrides"]
    return out


def ledger_figures(amount: Decimal, sums: dict) -> Figures:
    """committed = commitments − releases; available = amount − committed − spent."""
    committed = sums[COMMITMENT] - sums[RELEASE]
    return Figures(committed, sums[SPEND], amount - committed - sums[SPEND])


def compare_strand(check: StrandCheck) -> list[Finding]:
    """The breaks of S1 and S3 for one strand: pure, given its figures."""
    found = []
    ledger, shown = check.ledger, check.dashboard
    if shown != ledger:
        shown_text = (
            "the dashboard does not show it"
            if shown is None
            else f"the dashboard shows committed {format_money(shown.committed)}, "
            f"spent {format_money(shown.spent)}, available {format_money(shown.available)}"
        )
        found.append(
            Finding(
                STRAND_MATCHES_DASHBOARD,
                "strand",
                check.strand_id,
                f"{check.name} {check.year}: its ledger rows give committed "
                f"{format_money(ledger.committed)}, spent {format_money(ledger.spent)}, "
                f"available {format_money(ledger.available)}; {shown_text}",
            )
        )
    # Only an override can take a strand below zero (the ledger's trigger refuses any
    # other commitment that would), and by no more than the overriding entries' amounts.
    if ledger.available + check.overrides < 0:
        found.append(
            Finding(
                STRAND_NOT_BELOW_ZERO,
                "strand",
                check.strand_id,
                f"{check.name} {check.year}: available {format_money(ledger.available)} "
                f"(budget {format_money(check.amount)}, committed "
                f"{format_money(ledger.committed)}, spent {format_money(ledger.spent)}) "
                f"and its override entries account for {format_money(check.overrides)}",
            )
        )
    return found


def strand_checks(years: list[BudgetYear]) -> tuple[list[StrandCheck], list[Finding]]:
    """Every strand's figures both ways (S1) and whether it is below zero (S3).

    One query for the ledger's sums, one for the strands, and the dashboard's own
    selector once per year.
    """
    sums = _ledger_by_strand()
    shown = {
        s.pk: Figures(s.committed, s.spent, s.available)
        for year in years
        for s in year_strands(year)
    }
    order = {kind: n for n, kind in enumerate(Strand.values)}
    strands = sorted(
        BudgetStrand.objects.select_related("budget_year"),
        key=lambda s: (s.budget_year.start_year, order.get(s.kind, len(order)), s.pk),
    )
    checks = [
        StrandCheck(
            strand_id=strand.pk,
            year=strand.budget_year.label,
            name=strand.get_kind_display(),
            amount=strand.amount,
            ledger=ledger_figures(strand.amount, sums[strand.pk]),
            dashboard=shown.get(strand.pk),
            overrides=sums[strand.pk].get("overrides", ZERO),
        )
        for strand in strands
    ]
    return checks, [f for c in checks for f in compare_strand(c)]


def month_findings(years: list[BudgetYear]) -> list[Finding]:
    """S2: the dashboard's months add up to the year's ledger totals (one query per year)."""
    totals = (
        LedgerEntry.objects.order_by()
        .values("strand__budget_year_id")
        .annotate(
            commitments=_sum(COMMITMENT, ""), releases=_sum(RELEASE, ""), spent=_sum(SPEND, "")
        )
    )
    by_year = {
        row["strand__budget_year_id"]: (row["commitments"], row["releases"], row["spent"])
        for row in totals
    }
    found = []
    for year in years:
        months = monthly_sums(year).values()
        added = tuple(sum((m[i] for m in months), ZERO) for i in range(3))
        expected = by_year.get(year.pk, (ZERO, ZERO, ZERO))
        if added != expected:
            found.append(
                Finding(
                    MONTHS_ADD_UP,
                    "budget year",
                    year.pk,
                    f"{year.label}: the months add up to commitments {format_money(added[0])}, "
                    f"releases {format_money(added[1])}, spent {format_money(added[2])}; the "
                    f"ledger holds {format_money(expected[0])}, {format_money(expected[1])}, "
                    f"{format_money(expected[2])}",
                )
            )
    return found


def year_total_findings() -> list[Finding]:
    """S4: one query."""
    over = BudgetYear.objects.annotate(strands_total=Sum("strands__amount")).filter(
        strands_total__gt=F("total")
    )
    return [
        Finding(
            STRANDS_WITHIN_YEAR,
            "budget year",
            year.pk,
            f"{year.label}: strands add up to {format_money(year.strands_total)}, "
            f"more than the total of {format_money(year.total)}",
        )
        for year in over
    ]


def summary_findings() -> list[Finding]:
    """S5: both summaries against the ledger rows, by the summary's own key: four queries.

    The rows compared are few (strands × menu packages × months × 3), whatever
    the number of entries; a key on one side only is a break too.
    """
    found = []
    ledger_totals: dict[int, dict] = defaultdict(dict)
    for row in ledger.ledger_by_strand():
        ledger_totals[row["strand_id"]][ledger.COLUMN[row["kind"]]] = (row["total"], row["n"])
    kept = {total.strand_id: total for total in StrandTotal.objects.all()}
    for strand_id in sorted(set(ledger_totals) | set(kept)):
        rows = ledger_totals.get(strand_id, {})
        from_ledger = tuple(rows.get(c, (ZERO, 0))[0] for c in ledger.COLUMN.values())
        entries = sum(n for _, n in rows.values())
        total = kept.get(strand_id)
        shown = (
            (ZERO, ZERO, ZERO) if total is None
            else tuple(getattr(total, c) for c in ledger.COLUMN.values())
        )  # fmt: skip
        if shown != from_ledger or (total.entries if total else 0) != entries:
            found.append(
                Finding(
                    SUMMARIES_MATCH_LEDGER,
                    "strand",
                    strand_id,
                    "running totals: commitments, releases, spent "
                    f"{', '.join(format_money(x) for x in shown)}; its {entries} ledger rows "
                    f"give {', '.join(format_money(x) for x in from_ledger)}",
                )
            )
    months = {
        (row["strand_id"], row["package_id"], ledger.as_month(row["month"]), row["kind"]): (
            row["total"], row["n"],
        )
        for row in ledger.ledger_by_month()
    }  # fmt: skip
    kept_months = {
        (m.strand_id, m.package_id, m.month, m.kind): (m.amount, m.entries)
        for m in LedgerMonth.objects.all()
    }
    for key in sorted(set(months) | set(kept_months), key=lambda k: (k[0], k[2], k[1], k[3])):
        want, have = months.get(key, (ZERO, 0)), kept_months.get(key, (ZERO, 0))
        if want != have:
            strand_id, package_id, month, kind = key
            found.append(
                Finding(
                    SUMMARIES_MATCH_LEDGER,
                    "strand",
                    strand_id,
                    f"{kind} on menu package {package_id} in {month:%B %Y}: the monthly summary "
                    f"holds {format_money(have[0])} in {have[1]} entries; the ledger rows give "
                    f"{format_money(want[0])} in {want[1]}",
                )
            )
    return found


# ----------------------------------------------------------- ledger and packages


def entry_strand_findings() -> list[Finding]:
    """L1: one query."""
    rows = (
        LedgerEntry.objects.exclude(strand_id=F("agreed_package__strand_id"))
        .order_by("pk")
        .values_list(
            "pk", "kind", "amount", "strand_id", "agreed_package_id", "agreed_package__strand_id"
        )
    )
    return [
        Finding(
            ENTRY_ON_PACKAGE_STRAND,
            "ledger entry",
            pk,
            f"{kind} of {format_money(amount)} is on strand {strand}, but agreed package "
            f"{package} draws on strand {package_strand}",
        )
        for pk, kind, amount, strand, package, package_strand in rows
    ]


def _sum(kind: str, prefix: str = "ledger__"):
    return _sum_where(Q(**{f"{prefix}kind": kind}), prefix)


def _sum_where(condition: Q, prefix: str = ""):
    return Coalesce(Sum(f"{prefix}amount", filter=condition), Value(ZERO), output_field=MONEY)


def _count(kind: str, **more):
    return Count(
        "ledger", filter=Q(ledger__kind=kind, **{f"ledger__{k}": v for k, v in more.items()})
    )


def _package_figures():
    """Every package with its ledger figures, one grouped query (filtered by the caller)."""
    return AgreedPackage.objects.order_by().annotate(
        n_commitments=_count(COMMITMENT),
        committed=_sum(COMMITMENT),
        n_commitment_overrides=_count(COMMITMENT, is_override=True),
        n_releases=_count(RELEASE),
        released=_sum(RELEASE),
        n_spends=_count(SPEND),
        spent=_sum(SPEND),
        n_spend_overrides=_count(SPEND, is_override=True),
    )


def package_findings() -> list[Finding]:
    """P1–P6: one query for the packages that break any rule, one for their entries."""
    flags = {f"breaks_{rule.code}": condition for rule, condition in PACKAGE_RULES.items()}
    broken = Q()
    for condition in PACKAGE_RULES.values():
        broken |= condition
    rows = list(
        _package_figures()
        .filter(broken)
        .annotate(**{name: _flag(condition) for name, condition in flags.items()})
        .order_by("pk")
        .values(
            "pk", "status", "value", "budget_override", "committed", "released", "spent", *flags
        )
    )
    entries = _entries_of([row["pk"] for row in rows])
    found = []
    for rule in PACKAGE_RULES:
        for row in rows:
            if row[f"breaks_{rule.code}"]:
                found.append(
                    Finding(rule, "agreed package", row["pk"], _package_detail(row, entries))
                )
    return found


def _flag(condition: Q):
    return ExpressionWrapper(condition, output_field=BooleanField())


def _entries_of(package_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    rows = (
        LedgerEntry.objects.filter(agreed_package_id__in=package_ids)
        .order_by("agreed_package_id", "created_at", "pk")
        .values_list("agreed_package_id", "pk", "kind", "amount", "is_override")
    )
    for package, pk, kind, amount, override in rows:
        out[package].append(
            f"{pk} {kind} {format_money(amount)}{' (override)' if override else ''}"
        )
    return out


def _package_detail(row: dict, entries: dict[int, list[str]]) -> str:
    listed = "; ".join(entries.get(row["pk"], [])) or "none"
    override = ", budget override" if row["budget_override"] else ""
    return (
        f"{row['status']}, value {format_money(row['value'])}{override}: committed "
        f"{format_money(row['committed'])}, released {format_money(row['released'])}, spent "
        f"{format_money(row['spent'])}; ledger entries: {listed}"
    )


# ----------------------------------------------------------------- claims


def claim_findings() -> list[Finding]:
    """C1: every approved claim against its package's spend entries, one query."""
    # Join only the package's spend entries (the join's ON clause), not all its rows.
    rows = (
        Claim.objects.filter(status=ClaimStatus.APPROVED)
        .alias(
            spend=FilteredRelation(
                "agreed_package__ledger", condition=Q(agreed_package__ledger__kind=SPEND)
            )
        )
        .annotate(
            n_spends=Count("spend"),
            n_matching=Count(
                "spend",
                filter=Q(spend__amount=F("amount_paid"))
                & Q(spend__strand_id=F("agreed_package__strand_id")),
            ),
            spent=Coalesce(Sum("spend__amount"), Value(ZERO), output_field=MONEY),
        )
        .filter(~Q(n_spends=1) | ~Q(n_matching=1) | ~Q(agreed_package__status=AgreedStatus.PAID))
        .order_by("pk")
        .values_list("pk", "agreed_package_id", "agreed_package__status", "amount_paid",
                     "n_spends", "n_matching", "spent")
    )  # fmt: skip
    return [Finding(CLAIM_HAS_ONE_SPEND, "claim", row[0], _claim_detail(*row[1:])) for row in rows]


def _claim_detail(package, status, paid, n_spends, n_matching, spent) -> str:
    problems = [] if status == AgreedStatus.PAID else [f"the package is {status}, not paid"]
    if n_spends != 1:
        problems.append(f"it has {n_spends} spend entries totalling {format_money(spent)}")
    elif n_matching != 1:
        problems.append(
            f"its one spend entry, of {format_money(spent)}, is not of the amount paid on the "
            "package's strand"
        )
    return f"approved for {format_money(paid)} on agreed package {package}: " + "; ".join(problems)


def spend_findings() -> list[Finding]:
    """C2: spend entries with no approved claim on their package, one query."""
    approved = Claim.objects.filter(
        agreed_package_id=OuterRef("agreed_package_id"), status=ClaimStatus.APPROVED
    )
    rows = (
        LedgerEntry.objects.filter(kind=SPEND)
        .filter(~Exists(approved))
        .order_by("pk")
        .values_list("pk", "amount", "agreed_package_id", "agreed_package__status", "strand_id")
    )
    return [
        Finding(
            SPEND_HAS_CLAIM,
            "ledger entry",
            pk,
            f"spend of {format_money(amount)} on agreed package {package} ({status}), strand "
            f"{strand}: the package has no approved claim",
        )
        for pk, amount, package, status, strand in rows
    ]


def claimed_findings() -> list[Finding]:
    """C3: two queries, each way round."""
    claimed = (
        AgreedPackage.objects.filter(status=AgreedStatus.CLAIMED)
        .annotate(n_waiting=Count("claims", filter=Q(claims__status=ClaimStatus.SUBMITTED)))
        .exclude(n_waiting=1)
        .order_by("pk")
        .values_list("pk", "n_waiting")
    )
    stray = (
        Claim.objects.filter(status=ClaimStatus.SUBMITTED)
        .exclude(agreed_package__status=AgreedStatus.CLAIMED)
        .order_by("pk")
        .values_list("pk", "agreed_package_id", "agreed_package__status")
    )
    return [
        Finding(
            CLAIMED_HAS_WAITING_CLAIM,
            "agreed package",
            pk,
            f"payment claimed, with {n} claims waiting for approval",
        )
        for pk, n in claimed
    ] + [
        Finding(
            CLAIMED_HAS_WAITING_CLAIM,
            "claim",
            pk,
            f"waiting for approval, but agreed package {package} is {status}",
        )
        for pk, package, status in stray
    ]


def counts() -> dict[str, dict[str, int]]:
    """What was checked, by state or kind: four grouped queries."""

    def grouped(queryset, field_name):
        rows = queryset.order_by().values_list(field_name).annotate(n=Count("pk"))
        return dict(sorted(rows))

    return {
        "agreed packages": grouped(AgreedPackage.objects, "status"),
        "ledger entries": grouped(LedgerEntry.objects, "kind"),
        "overrides": grouped(LedgerEntry.objects.filter(is_override=True), "kind"),
        "claims": grouped(Claim.objects, "status"),
    }
