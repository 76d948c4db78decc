"""The breakdowns and the ledger entries behind every figure, with CSV and XLSX downloads."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from allowances.models import LedgerEntry
from allowances.rules import fy_label
from organisations.listing import link_each
from packages.models import Strand

from . import figures_cache
from .breakdowns import DIMENSIONS, breakdown, totals
from .exports import FORMATS, download
from .filters import BreakdownFilter, LedgerFilter
from .permissions import require_manager
from .selectors import budget_years, default_year
from .views import ledger_linker

PAGE_SIZE = 50
# Breakdowns whose rows grow with the data: how many of the largest the page shows.
TOP_ROWS = {"provider": 25}


class CountedPaginator(Paginator):
    """A paginator told how many objects there are, instead of counting them again."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


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
    fmt = request.GET.get("download")
    downloading = fmt in FORMATS
    # One row a provider grows with the register: the largest on the page, every
    # one in the downloads. What the page keeps is only what it shows.
    top = TOP_ROWS.get(dim.slug) if not downloading else None

    def compute():
        total = totals(entries)
        rows = breakdown(dim, entries, total["used"])
        return total, rows[:top] if top else rows, len(rows)

    if filterset.is_valid():
        name = f"breakdown:{dim.slug}:{'all' if downloading else 'page'}"
        total, rows, row_count = figures_cache.figures(name, params, compute)
    else:
        total, rows, row_count = compute()
    if downloading:
        body = (
            [r.label, r.commitments, r.releases, r.committed, r.spent, r.used, r.share,
             r.packages, r.organisations]
            for r in rows
        )  # fmt: skip
        return download(
            fmt, _filename(f"breakdown-{dim.slug}", params), [dim.column, *BREAKDOWN_HEADER], body
        )
    link = ledger_linker()
    linked = []
    for row in rows:
        row_params = _narrowed(params, dim.params_for(row.key))
        linked.append(
            (
                row,
                {
                    "committed": link(**row_params, figure="committed"),
                    "spent": link(**row_params, figure="spent"),
                    "all": link(**row_params),
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
            "row_count": row_count,
            "total": total,
            "total_links": {
                "committed": link(**params, figure="committed"),
                "spent": link(**params, figure="spent"),
                "all": link(**params),
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
        # An award's entries: its title and whom it pays in the same columns.
        Coalesce("agreed_package__package__name", "award__title"),
        Coalesce("organisation__name", "award__payee"),
        "organisation__postcode_district",
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
        "strand__budget_year",
        "organisation",
        "agreed_package__package",
        "award",
    ).order_by("-created_at", "-id")
    filterset = _filter(LedgerFilter, request, queryset)
    entries = filterset.qs if filterset.is_valid() else LedgerEntry.objects.none()
    params = filterset.params()
    fmt = request.GET.get("download")
    if fmt in FORMATS:
        return download(fmt, _filename("ledger", params), LEDGER_HEADER, _ledger_rows(entries))
    # The totals and the number of entries are kept until the data changes
    # (figures_cache); the page of entries is always read from the ledger.
    if filterset.is_valid():
        total, count = figures_cache.figures(
            "ledger", params, lambda: (totals(entries), entries.count())
        )
    else:
        total, count = totals(entries), 0
    page = CountedPaginator(entries, PAGE_SIZE, count=count).get_page(request.GET.get("page"))
    link_each(page, "allowances:agreed_package_detail", key="agreed_package_id", to="package_url")
    return render(
        request,
        "reports/ledger_entries.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "total": total,
            "params": params,
            "chosen_provider": filterset.form.is_valid()
            and filterset.form.cleaned_data.get("provider"),
        },
    )
