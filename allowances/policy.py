"""The rules managers set: budget years with their strands, and the caps policy.

Writes only; each is audited. Strand rows are locked (in primary-key order,
the same 'strand first' rule as agreeing) so a budget change and an agreement
never interleave.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import record
from packages.models import Strand

from .models import BudgetStrand, BudgetYear, CapPolicyVersion
from .rules import budget_split_problems, fy_label
from .selectors import strands_with_figures


class BudgetInvalid(Exception):
    """The figures break a budget rule: `.problems` maps a field to its message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


class PolicyInvalid(Exception):
    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def budget_limits() -> tuple[Decimal, Decimal]:
    """(ceiling, floor) from settings, in pounds."""
    return Decimal(settings.BUDGET_CEILING), Decimal(settings.BUDGET_STRAND_FLOOR)


def _check(total: Decimal, amounts: dict[str, Decimal], used=None) -> None:
    ceiling, floor = budget_limits()
    problems = budget_split_problems(
        total=total,
        strands=amounts,
        labels=dict(Strand.choices),
        ceiling=ceiling,
        floor=floor,
        used=used,
    )
    if problems:
        raise BudgetInvalid(problems)


@transaction.atomic
def create_budget_year(*, by, start_year: int, total: Decimal, amounts: dict[str, Decimal]):
    """A financial year's budget and its strands, within the ceiling and floors."""
    if BudgetYear.objects.filter(start_year=start_year).exists():
        raise BudgetInvalid(
            {
                "start_year": f"There is already a budget for {fy_label(start_year)}. "
                "Change that one instead"
            }
        )
    _check(total, amounts)
    try:
        with transaction.atomic():
            year = BudgetYear.objects.create(start_year=start_year, total=total, created_by=by)
    except IntegrityError:  # another manager set it a moment ago
        raise BudgetInvalid(
            {"start_year": f"There is already a budget for {fy_label(start_year)}"}
        ) from None
    BudgetStrand.objects.bulk_create(
        BudgetStrand(budget_year=year, kind=kind, amount=amount) for kind, amount in amounts.items()
    )
    record(
        actor=by,
        action="budget_year.created",
        obj=year,
        data={"total": str(total), **{k: str(v) for k, v in amounts.items()}},
    )
    return year


@transaction.atomic
def update_budget_year(*, budget_year: BudgetYear, by, total: Decimal, amounts: dict[str, Decimal]):
    """Change a year's total and strands; no strand below what it has committed or spent."""
    # Strands first (pk order), as every agreement does, then the year row.
    locked = list(
        BudgetStrand.objects.select_for_update().filter(budget_year=budget_year).order_by("pk")
    )
    budget_year = BudgetYear.objects.select_for_update().get(pk=budget_year.pk)
    figures = strands_with_figures(BudgetStrand.objects.filter(pk__in=[s.pk for s in locked]))
    used = {s.kind: s.committed + s.spent for s in figures}
    _check(total, amounts, used)
    before = {"total": str(budget_year.total), **{s.kind: str(s.amount) for s in locked}}
    budget_year.total = total
    budget_year.save(update_fields=["total"])
    existing = {s.kind: s for s in locked}
    for kind, amount in amounts.items():
        if kind in existing:
            if existing[kind].amount != amount:
                existing[kind].amount = amount
                existing[kind].save(update_fields=["amount"])
        else:
            BudgetStrand.objects.create(budget_year=budget_year, kind=kind, amount=amount)
    record(
        actor=by,
        action="budget_year.updated",
        obj=budget_year,
        data={
            "before": before,
            "after": {"total": str(total), **{k: str(v) for k, v in amounts.items()}},
        },
    )
    return budget_year


@transaction.atomic
def set_cap_policy(
    *,
    by,
    effective_from: date,
    per_year: int,
    per_period: int,
    period_years: int,
    basis: str,
    note: str = "",
    today: date | None = None,
) -> CapPolicyVersion:
    """A new version of the caps, in force from `effective_from` (today or later).

    Past versions are kept: they were the rules when earlier packages were agreed.
    """
    today = today or timezone.localdate()
    problems = {}
    if effective_from < today:
        problems["effective_from"] = "The date the rules take effect must be today or in the future"
    elif CapPolicyVersion.objects.filter(effective_from=effective_from).exists():
        problems["effective_from"] = (
            "Rules already take effect on that date. Choose a different date"
        )
    if per_year < 1:
        problems["per_year"] = "Packages per year must be 1 or more"
    if per_period < per_year:
        problems["per_period"] = (
            f"Packages per period must be at least the {per_year} allowed per year"
        )
    if problems:
        raise PolicyInvalid(problems)
    try:
        with transaction.atomic():
            version = CapPolicyVersion.objects.create(
                effective_from=effective_from,
                per_year=per_year,
                per_period=per_period,
                period_years=period_years,
                basis=basis,
                note=note,
                created_by=by,
            )
    except IntegrityError:  # another manager chose the same date a moment ago
        raise PolicyInvalid(
            {"effective_from": "Rules already take effect on that date. Choose a different date"}
        ) from None
    record(
        actor=by,
        action="cap_policy.set",
        obj=version,
        reason=note,
        data={
            "effective_from": str(effective_from),
            "per_year": per_year,
            "per_period": per_period,
            "period_years": period_years,
            "basis": basis,
        },
    )
    return version
