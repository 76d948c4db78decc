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
    Count,
    F,
    Q,
    Sum,
)

from allowances import ledger
from allowances.models import (
    AgreedPackage,
    BudgetStrand,
    BudgetYear,
    LedgerEntry,
    LedgerMonth,
    StrandTotal,
)
from delivery.models import Claim
from packages.models import Strand
from packages.money import format_money

from .entry_invariants import (
    award_findings,
    claim_findings,
    claimed_findings,
    entry_strand_findings,
    package_findings,
    spend_findings,
)
from .invariant_rules import (  # the rules, also read from here by callers
    COMMITMENT,
    MONTHS_ADD_UP,
    RELEASE,
    RULES,
    SPEND,
    STRAND_MATCHES_DASHBOARD,
    STRAND_NOT_BELOW_ZERO,
    STRANDS_WITHIN_YEAR,
    SUMMARIES_MATCH_LEDGER,
    ZERO,
    Finding,
    Rule,
    kind_sum,
    sum_where,
)
from .selectors import monthly_sums, year_strands


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
        *award_findings(),
    ]
    return LedgerCheck(strands=strands, counts=counts(), findings=findings)


# ----------------------------------------------------------------- strands


def _ledger_by_strand() -> dict[int, dict]:
    """{strand id: {kind: total, …, "overrides": total}} straight from the ledger: one query."""
    out: dict[int, dict] = defaultdict(lambda: {COMMITMENT: ZERO, RELEASE: ZERO, SPEND: ZERO})
    rows = (
        LedgerEntry.objects.order_by()
        .values("strand_id", "kind")
        .annotate(total=Sum("amount"), overrides=sum_where(Q(is_override=True)))
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
            commitments=kind_sum(COMMITMENT, ""),
            releases=kind_sum(RELEASE, ""),
            spent=kind_sum(SPEND, ""),
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
    # An award's rows have no package (None): they sort before the packages' in their month.
    in_order = sorted(
        set(months) | set(kept_months),
        key=lambda k: (k[0], k[2], k[1] is not None, k[1] or 0, k[3]),
    )
    for key in in_order:
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
