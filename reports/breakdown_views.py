"""The breakdowns and the ledger entries behind every figure, with CSV and XLSX downloads."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from allowances.models import LedgerEntry
from allowances.rules import fy_label
from packages.models import Strand

from .breakdowns import DIMENSIONS, breakdown, totals
from .exports import FORMATS, download
from .filters import BreakdownFilter, LedgerFilter
from .permissions import require_manager
from .selectors import budget_years, default_year
from .views import ledger_link

PAGE_SIZE = 50


def _filter(cls, request, queryset):
    years = budget_years()
    default = default_year(years, timezone.localdate())
    return cls(
        request.GET,
        queryset=queryset,
        years=[y.start_year for y in years],
        default_year=default.start_year if default else None,
    )


def _filename(stem: str, params: dict) -> str:
    year = params.get("year")
    return f"{stem}-{year}" if year else stem


def _narrowed(params: dict, row: dict) -> dict:
    """The breakdown's filters and one row's: a month's dates within the filter's, not instead."""
    out = {**params, **row}
    if params.get("date_from") and row.get("date_from"):
        out["date_from"] = max(params["date_from"], row["date_from"])
    if params.get("date_to") and row.get("date_to"):
        out["date_to"] = min(params["date_to"], row["date_to"])
    return out


BREAKDOWN_HEADER = [
    "Commitments (£)",
    "Releases (£)",
    "Committed (£)",
    "Spent (£)",
    "Committed or spent (£)",
    "Share of the total (%)",
    "Packages",
    "Organisations",
]


@login_required
@require_GET
def breakdown_view(request, dimension):
    """One breakdown: two queries after the session's and the filter's (the rows, the totals)."""
    require_manager(request.user)
    dim = DIMENSIONS.get(dimension)
    if dim is None:
        raise Http404
    filterset = _filter(BreakdownFilter, request, LedgerEntry.objects.all())
    entries = filterset.qs if filterset.is_valid() else LedgerEntry.objects.none()
    params = filterset.params()
    total = totals(entries)
    rows = breakdown(dim, entries, total["used"])
    fmt = request.GET.get("download")
    if fmt in FORMATS:
        body = (
            [r.label, r.commitments, r.releases, r.committed, r.spent, r.used, r.share,
             r.packages, r.organisations]
            for r in rows
        )  # fmt: skip
        return download(
            fmt, _filename(f"breakdown-{dim.slug}", params), [dim.column, *BREAKDOWN_HEADER], body
        )
    linked = []
    for row in rows:
        row_params = _narrowed(params, dim.params_for(row.key))
        linked.append(
            (
                row,
                {
                    "committed": ledger_link(**row_params, figure="committed"),
                    "spent": ledger_link(**row_params, figure="spent"),
                    "all": ledger_link(**row_params),
                },
            )
        )
    return render(
        request,
        "reports/breakdown.html",
        {
            "dimension": dim,
            "dimensions": DIMENSIONS.values(),
            "filter": filterset,
            "form": filterset.form,
            "rows": linked,
            "total": total,
            "total_links": {
                "committed": ledger_link(**params, figure="committed"),
                "spent": ledger_link(**params, figure="spent"),
                "all": ledger_link(**params),
            },
            "params": params,
        },
    )


LEDGER_HEADER = [
    "Date and time",
    "Budget year",
    "Strand",
    "Kind",
    "Amount (£)",
    "Override",
    "Agreed package reference",
    "Package",
    "Organisation",
    "Postcode district",
    "Note",
]


def _ledger_rows(entries):
    rows = entries.values_list(
        "created_at",
        "strand__budget_year__start_year",
        "strand__kind",
        "kind",
        "amount",
        "is_override",
        "agreed_package_id",
        "agreed_package__package__name",
        "agreed_package__organisation__name",
        "agreed_package__organisation__postcode_district",
        "note",
    )
    strands = dict(Strand.choices)
    for row in rows.iterator(chunk_size=2000):
        created, year, strand, *rest = row
        yield [timezone.localtime(created), fy_label(year), strands.get(strand, strand), *rest]


@login_required
@require_GET
def ledger_entries(request):
    """The entries behind any figure, filtered, paginated and downloadable."""
    require_manager(request.user)
    queryset = LedgerEntry.objects.select_related(
        "strand__budget_year", "agreed_package__organisation", "agreed_package__package"
    ).order_by("-created_at", "-id")
    filterset = _filter(LedgerFilter, request, queryset)
    entries = filterset.qs if filterset.is_valid() else LedgerEntry.objects.none()
    params = filterset.params()
    fmt = request.GET.get("download")
    if fmt in FORMATS:
        return download(fmt, _filename("ledger", params), LEDGER_HEADER, _ledger_rows(entries))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/ledger_entries.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "total": totals(entries),
            "params": params,
        },
    )
