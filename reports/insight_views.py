"""Caps in practice, reach and impact (managers) and the operational queues (officers)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from allowances.rules import policy_on
from allowances.selectors import cap_policies
from diagnostics.rules import distance_travelled

from . import figures_cache
from .exports import csv_response
from .permissions import require_manager, require_staff
from .provider_figures import concentration, medians_available, provider_rows
from .selectors import (
    budget_years,
    caps_in_practice,
    expired_in,
    impact,
    operations,
    overrides_in,
    reach,
)
from .views import chosen_year, ledger_linker


@login_required
@require_GET
def caps(request):
    """Queries: budget years, cap policies, organisations by count, package totals,
    the overrides and the expired packages listed."""
    require_manager(request.user)
    years = budget_years()
    year = chosen_year(request, years)
    context = {"years": years, "year": year}
    if year is not None:
        today = timezone.localdate()
        # The rules in force at the end of the year asked for, or today if sooner.
        on = min(today, year.ends_on)
        policy = policy_on(cap_policies(), on)
        context.update(
            figures_cache.figures(
                "caps",
                {"year": year.start_year, "on": on},
                lambda: {
                    "figures": caps_in_practice(policy, year.start_year, on),
                    "overrides": overrides_in(year.start_year),
                    "expired": expired_in(year.start_year),
                },
            )
        )
    return render(request, "reports/caps.html", context)


@login_required
@require_GET
def reach_and_impact(request):
    require_manager(request.user)
    years = budget_years()
    year = chosen_year(request, years)
    context = {"years": years, "year": year}
    if year is not None:
        context["reach"] = figures_cache.figures(
            "reach", {"year": year.start_year}, lambda: reach(year.start_year)
        )
    scores = figures_cache.figures("impact", {}, impact)
    names = {slug: name for slug, (name, _) in {**scores["after"], **scores["before"]}.items()}
    context["impact"] = scores["summary"]
    context["changes"] = distance_travelled(
        {slug: mean for slug, (_, mean) in scores["before"].items()},
        {slug: mean for slug, (_, mean) in scores["after"].items()},
        names,
    )
    return render(request, "reports/reach.html", context)


@login_required
@require_GET
def operations_view(request):
    """What is waiting on officers, oldest first, and what is overdue."""
    require_staff(request.user)
    return render(request, "reports/operations.html", {"ops": operations(timezone.localdate())})


TOP_PROVIDERS = 25
PROVIDERS_HEADER = [
    "Provider",
    "Requested",
    "Accepted",
    "Declined",
    "Delivered",
    "Median days to accept",
    "Median days to deliver",
    "Average rating (of 5)",
    "Ratings",
    "Spent (£)",
    "Share of spend (%)",
]


@login_required
@require_GET
def providers(request):
    """Per provider: requests, answers, delivery, medians, ratings, share of the year's spend.

    The page shows the TOP_PROVIDERS paid the most; ?download=csv gives every one.
    """
    require_manager(request.user)
    years = budget_years()
    year = chosen_year(request, years)
    in_year = year.start_year if year else None
    if request.GET.get("download") == "csv":
        rows, _ = figures_cache.figures(
            "providers:all", {"year": in_year}, lambda: provider_rows(in_year)
        )
        return csv_response(
            f"providers-{year.start_year}" if year else "providers",
            PROVIDERS_HEADER,
            (
                [r.name, r.requested, r.accepted, r.declined, r.delivered,
                 r.median_days_to_accept, r.median_days_to_deliver, r.average_rating,
                 r.ratings, r.spent, r.share]
                for r in rows
            ),
        )  # fmt: skip

    def page_figures():
        rows, total_spent = provider_rows(in_year)
        return rows[:TOP_PROVIDERS], len(rows), total_spent, concentration(rows)

    # What the page keeps is only what it shows: the top rows, not the register.
    shown, provider_count, total_spent, top_five_share = figures_cache.figures(
        "providers:page", {"year": in_year}, page_figures
    )
    link = ledger_linker()
    top = [(row, link(year=in_year, provider=row.pk, figure="spent")) for row in shown]
    return render(
        request,
        "reports/providers.html",
        {
            "years": years,
            "year": year,
            "rows": top,
            "provider_count": provider_count,
            "total_spent": total_spent,
            "top_five_share": top_five_share,
            "medians_available": medians_available(),
        },
    )
