"""Read-only views over the apps below: the overview and the budget dashboard."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from notifications.models import Notification
from organisations.models import Organisation, User
from providers.models import Provider

from .breakdowns import month_params
from .chart import build_chart
from .permissions import require_manager
from .rules import ZERO, forecast_outturn, month_starts, monthly_series, percent
from .selectors import budget_years, default_year, monthly_sums, year_strands


def ledger_linker():
    """`ledger_link` with the URLconf resolved once, for a table with a link or three a row."""
    path = reverse("reports:ledger")

    def link(**params) -> str:
        params = {k: v for k, v in params.items() if v not in (None, "")}
        return f"{path}?{urlencode(params)}"

    return link


def ledger_link(**params) -> str:
    """The ledger-entries page filtered to the entries behind one figure."""
    return ledger_linker()(**params)


def asked_year(request) -> int | None:
    """The year in ?year=2025, or None when there is none or it is not a year.

    Only four ASCII digits: str.isdigit() is also true of "²" or "٢٠٢٥", which
    int() then refuses or reads as a number nobody typed.
    """
    asked = request.GET.get("year", "")
    return int(asked) if len(asked) == 4 and asked.isascii() and asked.isdigit() else None


def chosen_year(request, years):
    """The budget year asked for in ?year=, else this year's (or the newest)."""
    asked = asked_year(request)
    match = next((y for y in years if y.start_year == asked), None)
    return match or default_year(years, timezone.localdate())


@login_required
@require_GET
def manager_overview(request):
    require_manager(request.user)
    people = User.objects.aggregate(
        officers=Count("pk", filter=Q(role=User.Role.OFFICER)),
        managers=Count("pk", filter=Q(role=User.Role.MANAGER)),
        public=Count("pk", filter=Q(role=User.Role.PUBLIC)),
    )
    outbox = Notification.objects.aggregate(
        pending=Count("pk", filter=Q(status=Notification.Status.PENDING)),
        failed=Count("pk", filter=Q(status=Notification.Status.FAILED)),
    )
    return render(
        request,
        "reports/manager_overview.html",
        {
            "organisation_count": Organisation.objects.count(),
            "provider_count": Provider.objects.count(),
            "people": people,
            "outbox": outbox,
        },
    )


def _strand_row(strand) -> dict:
    used = strand.committed + strand.spent
    return {
        "name": strand.get_kind_display(),
        "kind": strand.kind,
        "budget": strand.amount,
        "committed": strand.committed,
        "spent": strand.spent,
        "available": strand.available,
        "committed_pct": percent(strand.committed, strand.amount),
        "spent_pct": percent(strand.spent, strand.amount),
        "available_pct": percent(strand.available, strand.amount),
        "used": used,
    }


@login_required
@require_GET
def budget_dashboard(request):
    """Where every pound of a year's budget stands. Three queries after the session's:
    the budget years, the year's strands with their ledger sums, the ledger by month."""
    require_manager(request.user)
    years = budget_years()
    year = chosen_year(request, years)
    if year is None:
        return render(request, "reports/budget_dashboard.html", {"years": years, "year": None})
    strands = [_strand_row(s) for s in year_strands(year)]
    budget = sum((s["budget"] for s in strands), ZERO)
    total = {
        "budget": budget,
        **{k: sum((s[k] for s in strands), ZERO) for k in ("committed", "spent", "available")},
    }
    for k in ("committed", "spent", "available"):
        total[f"{k}_pct"] = percent(total[k], budget)
    used = total["committed"] + total["spent"]
    months = monthly_series(month_starts(year.starts_on), monthly_sums(year), budget)
    y = year.start_year
    for s in strands:
        s["committed_link"] = ledger_link(year=y, strand=s["kind"], figure="committed")
        s["spent_link"] = ledger_link(year=y, strand=s["kind"], figure="spent")
    # The first and last months also count the entries dated before and after the
    # year (monthly_sums clamps them there), so their links leave that side open.
    last = len(months) - 1
    month_links = [
        ledger_link(
            year=y,
            date_from=m.month if n else None,
            date_to=_month_end(m.month) if n < last else None,
        )
        for n, m in enumerate(months)
    ]
    return render(
        request,
        "reports/budget_dashboard.html",
        {
            "years": years,
            "year": year,
            "strands": strands,
            "total": total,
            "total_links": {
                "committed": ledger_link(year=y, figure="committed"),
                "spent": ledger_link(year=y, figure="spent"),
                "all": ledger_link(year=y),
            },
            "unallocated": year.total - budget,
            "months": list(zip(months, month_links, strict=True)),
            "chart": build_chart(months, budget),
            "forecast": forecast_outturn(
                used=used,
                budget=budget,
                starts_on=year.starts_on,
                ends_on=year.ends_on,
                today=timezone.localdate(),
            ),
        },
    )


def _month_end(first):
    return month_params(first)["date_to"]
