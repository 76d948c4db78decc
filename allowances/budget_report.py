"""The weekly budget report emailed to managers, with the week's ledger as CSV.

Run on Monday morning, it reports the ISO week just ended (Monday to Sunday,
London time). Each manager's copy carries the key budget-report:<year>-W<week>,
unique in the outbox, so a second run in the same week sends nothing.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from notifications.services import absolute_url
from packages.money import format_money

from .alerts import queue_for_managers
from .models import AgreedPackage, AgreedStatus, BudgetStrand, LedgerEntry, LedgerKind
from .rules import financial_year_of, percent_used
from .selectors import strands_with_figures


@dataclass(frozen=True)
class Week:
    monday: date

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def label(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.monday, time.min))

    @property
    def ends_at(self) -> datetime:
        """Midnight at the start of the next Monday (the week ends before it)."""
        return timezone.make_aware(datetime.combine(self.monday + timedelta(days=7), time.min))


def week_before(today: date) -> Week:
    """The Monday-to-Sunday week before the one `today` is in."""
    return Week(today - timedelta(days=today.weekday() + 7))


def _strand_rows(week: Week) -> list[dict]:
    # Both financial years when the week spans 31 March / 1 April.
    years = {financial_year_of(week.monday), financial_year_of(week.sunday)}
    strands = strands_with_figures(
        BudgetStrand.objects.filter(budget_year__start_year__in=years).select_related("budget_year")
    ).order_by("budget_year__start_year", "kind")
    return [
        {
            "name": f"{s.get_kind_display()} {s.budget_year.label}",
            "total": format_money(s.amount),
            "committed": format_money(s.committed),
            "spent": format_money(s.spent),
            "available": format_money(s.available),
            "percent": percent_used(amount=s.amount, used=s.committed + s.spent),
        }
        for s in strands
    ]


def _in_week(week: Week, field: str) -> dict:
    return {f"{field}__gte": week.starts_at, f"{field}__lt": week.ends_at}


def ledger_csv(entries) -> str:
    """The entries as CSV, one row each, amounts as exact decimals."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["date", "strand", "budget year", "organisation", "package", "kind", "amount",
         "override", "note"]
    )  # fmt: skip
    for e in entries:
        writer.writerow(
            [
                timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
                e.strand.get_kind_display(),
                e.strand.budget_year.label,
                e.organisation.name,
                e.agreed_package.package.name if e.agreed_package else e.award.title,
                e.kind,
                f"{e.amount:.2f}",
                "yes" if e.is_override else "no",
                e.note,
            ]
        )
    return out.getvalue()


def send_weekly_budget_report(today: date | None = None) -> Week:
    """Queue the report for the week before `today` to every manager, once per week."""
    week = week_before(today or timezone.localdate())
    packages = AgreedPackage.objects.select_related("organisation", "package")
    entries = (
        LedgerEntry.objects.filter(**_in_week(week, "created_at"))
        .select_related("strand__budget_year", "organisation", "agreed_package__package",
                        "award")
        .order_by("created_at", "pk")
    )  # fmt: skip
    context = {
        "week": week,
        "strands": _strand_rows(week),
        "agreed": list(packages.filter(**_in_week(week, "agreed_at")).order_by("agreed_at")),
        "cancelled": list(
            packages.filter(status=AgreedStatus.CANCELLED, **_in_week(week, "ended_at"))
        ),
        "expired": list(packages.filter(status=AgreedStatus.EXPIRED, **_in_week(week, "ended_at"))),
        "spends": [e for e in entries if e.kind == LedgerKind.SPEND],
        "link": absolute_url(reverse("allowances:budget_years")),
    }
    attachment = {
        "filename": f"ledger-{week.label}.csv",
        "content": ledger_csv(entries),
        "mimetype": "text/csv",
    }
    queue_for_managers(
        template="budget_report",
        context=context,
        kind="allowances:budget_report",
        key=f"budget-report:{week.label}",
        attachments=[attachment],
    )
    return week
