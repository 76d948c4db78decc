"""Section C's report of advice requests by topic and month, for brokers and managers:
requests, answers, closures without an answer, those waiting and the time spent, filtered
by the dates asked and who asked; on the page, and as CSV or XLSX (reports.exports). The
figures are volunteering's (advice_selectors); the addresses are the brokers' own, under
/broker/advice/report/."""

from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from volunteering import advice_selectors as selectors
from volunteering.advice_forms import AdviceReportForm
from volunteering.permissions import require_broker_or_manager

from .exports import FORMATS, download

FILENAME = "advice-requests-by-topic"
NOT_FILTERS = ("download", "format", "page")


def _filters(request) -> QueryDict:
    """The filters as they were typed, to carry into the downloads (and back)."""
    query = request.GET.copy()
    for name in NOT_FILTERS:
        query.pop(name, None)
    return query


def _download_address(request, fmt: str) -> str:
    query = _filters(request)
    query["format"] = fmt
    return f"{reverse('reports:volunteering_advice_download')}?{query.urlencode()}"


def _report(form: AdviceReportForm):
    """The report for valid filters (none given is the whole service); None if refused."""
    if form.is_bound and not form.is_valid():
        return None
    data = form.cleaned_data if form.is_bound else {}
    return selectors.advice_report(
        data.get("asked_from"), data.get("asked_to"), data.get("who") or ""
    )


@login_required
@require_GET
def advice_report(request):
    """Requests and time spent by topic and month. Queries: the session's, a broker check
    for anyone not a manager, and one grouped query, however many requests. An old
    `?download=csv` link goes on to the download with the same filters."""
    require_broker_or_manager(request.user)
    fmt = request.GET.get("download")
    if fmt in FORMATS:
        return redirect(_download_address(request, fmt))
    form = AdviceReportForm(request.GET or None)
    report = _report(form)
    return render(
        request,
        "reports/volunteering_advice.html",
        {
            "form": form,
            "report": selectors.AdviceReport() if report is None else report,
            "csv_address": _download_address(request, "csv"),
            "xlsx_address": _download_address(request, "xlsx"),
        },
    )


@login_required
@require_GET
def advice_report_download(request):
    """The same figures, a row a month and topic asked about, then each topic's total and the
    grand total: CSV (streamed), or with ?format=xlsx a spreadsheet. Filters the page would
    refuse send people back to it, to see why."""
    require_broker_or_manager(request.user)
    form = AdviceReportForm(request.GET or None)
    report = _report(form)
    if report is None:
        return redirect(f"{reverse('reports:volunteering_advice')}?{_filters(request).urlencode()}")
    rows = selectors.report_rows(report)
    return download(request.GET.get("format", "csv"), FILENAME, selectors.REPORT_HEADER, rows)
