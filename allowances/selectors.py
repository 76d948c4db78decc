"""Reads: the strands' figures (from the running totals kept with the ledger), and the inputs
the cap rules need."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, F, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from diagnostics.models import Diagnostic, Recommendation
from diagnostics.selectors import eligibility_on
from notifications.deadlines import CHOOSE_PROVIDER, deadline
from organisations.rules import Decision

from .models import (
    AgreedPackage,
    AgreedStatus,
    BudgetStrand,
    CapPolicyVersion,
    LedgerEntry,
    LedgerKind,
)
from .rules import (
    AllowanceSummary,
    CapPolicy,
    budget_decision,
    cap_decision,
    financial_year_of,
    no_budget_reason,
    summarise,
)

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def _sum(kind: str, prefix: str = ""):
    return Coalesce(
        Sum(f"{prefix}amount", filter=Q(**{f"{prefix}kind": kind})),
        ZERO,
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def _total(column: str):
    return Coalesce(F(f"totals__{column}"), ZERO, output_field=MONEY)


def strands_with_figures(queryset=None):
    """Strands annotated with committed, spent and available: one query, one row each.

    committed = commitments − releases; available = amount − committed − spent,
    from the strand's running totals (`ledger.post` keeps them with every entry;
    a strand with no entries yet has none, and counts as zero).
    """
    queryset = queryset if queryset is not None else BudgetStrand.objects.all()
    return queryset.annotate(
        committed_in=_total("commitments"),
        released=_total("releases"),
        spent=_total("spent"),
    ).annotate(
        committed=F("committed_in") - F("released"),
        available=F("amount") - F("committed_in") + F("released") - F("spent"),
    )


def strand_available(strand: BudgetStrand) -> Decimal:
    """What is left to commit on one strand, from its running totals."""
    return strands_with_figures(BudgetStrand.objects.filter(pk=strand.pk)).get().available


def outstanding_commitment(agreed_package: AgreedPackage) -> Decimal:
    """What this package still holds committed: its commitments less its releases."""
    figures = LedgerEntry.objects.filter(agreed_package=agreed_package).aggregate(
        committed_in=_sum(LedgerKind.COMMITMENT), released=_sum(LedgerKind.RELEASE)
    )
    return figures["committed_in"] - figures["released"]


def cap_policies() -> list[CapPolicy]:
    """Every policy version, as pure values for the rules."""
    return [version.as_rule() for version in CapPolicyVersion.objects.order_by("effective_from")]


def counting_packages(organisation):
    """The organisation's packages that count against its caps: (date, year, slot)."""
    return list(
        AgreedPackage.objects.counting()
        .filter(organisation=organisation)
        .values_list("agreed_on", "financial_year", "year_slot")
    )


def counting_dates(organisation) -> list[date]:
    return sorted(row[0] for row in counting_packages(organisation))


def with_choose_by(agreed_packages) -> list[AgreedPackage]:
    """The packages as a list, each still waiting for a provider given `choose_by`: the last
    day to choose one, the managers' choose_provider deadline counted from its agreement
    (None on the others). One query for the deadline, however many packages there are."""
    rule = deadline(CHOOSE_PROVIDER)
    rows = list(agreed_packages)
    for agreed in rows:
        waiting = agreed.status == AgreedStatus.AGREED
        agreed.choose_by = rule.due_on(agreed.agreed_on) if waiting else None
    return rows


def overrides():
    """Every agreement a manager made past a cap or the budget, newest first."""
    return (
        AgreedPackage.objects.overrides()
        .select_related("organisation", "package", "agreed_by", "strand__budget_year")
        .order_by("-agreed_at", "-id")
    )


@dataclass(frozen=True)
class AgreementPreview:
    """What agreeing would meet, read without locks, for the check-your-answers page.

    The service decides again inside its locks; this only lets the page explain.
    """

    eligibility: Decision
    cap: Decision
    budget: Decision
    strand: BudgetStrand | None
    summary: AllowanceSummary

    @property
    def needs_override(self) -> bool:
        return bool(self.eligibility) and self.strand is not None and not (self.cap and self.budget)

    @property
    def blocked(self) -> bool:
        """Refused whatever anyone does: not eligible, or no budget for the year."""
        return not self.eligibility or self.strand is None

    @property
    def problems(self) -> list[str]:
        return [d.reason for d in (self.eligibility, self.cap, self.budget) if not d]


def preview_agreement(organisation, package, on: date) -> AgreementPreview:
    year = financial_year_of(on)
    strand = (
        strands_with_figures(BudgetStrand.objects.select_related("budget_year"))
        .filter(budget_year__start_year=year, kind=package.strand)
        .first()
    )
    policies = cap_policies()
    dates = counting_dates(organisation)
    if strand is None:
        budget = Decision(
            False, no_budget_reason(strand_name=package.get_strand_display(), year=year)
        )
    else:
        budget = budget_decision(
            available=strand.available,
            value=package.value,
            package_name=package.name,
            strand_name=strand.get_kind_display(),
            year=year,
        )
    return AgreementPreview(
        eligibility=eligibility_on(organisation, on),
        cap=cap_decision(
            organisation_name=organisation.name, dates=dates, day=on, policies=policies
        ),
        budget=budget,
        strand=strand,
        summary=summarise(dates, on, policies),
    )


def recommendations_for(organisation) -> dict[int, str]:
    """The latest completed diagnostic's live recommendations: {package id: reason}, best first."""
    latest = (
        Diagnostic.objects.filter(organisation=organisation, status=Diagnostic.Status.COMPLETED)
        .order_by("-completed_at", "-id")
        .values("pk")[:1]
    )
    rows = (
        Recommendation.objects.filter(diagnostic_id=Subquery(latest), removed_at__isnull=True)
        .order_by("rank", "pk")
        .values_list("package_id", "reason")
    )
    return dict(rows)
