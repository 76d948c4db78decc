"""Section C's events and attendance report, for brokers and managers: each event's places,
how many were booked and attended, and its average rating, with the totals; filterable by
kind and dates, a page at a time, and as CSV or XLSX (reports.exports, so a title a
spreadsheet would read as a formula is made safe). Drafts are left out (nobody could book
them). The figures are volunteering's (events_selectors); the addresses are the brokers'
own, under /broker/events/report/."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from organisations.listing import page_of
from volunteering import events_rules as rules
from volunteering import events_selectors as selectors
from volunteering.events_filters import EventReportFilter
from volunteering.models import Event
from volunteering.permissions import require_broker_or_manager

from . import figures_cache
from .exports import download, xlsx_bytes, xlsx_file

FILENAME = "events-and-attendance"
HEADER = [
    "Event",
    "Kind",
    "Starts",
    "Status",
    "Places",
    "Booked",
    "Attended",
    "Waiting",
    "Ratings",
    "Average rating",
]


def _filtered(request) -> EventReportFilter:
    return EventReportFilter(
        request.GET or None, queryset=Event.objects.exclude(status=rules.DRAFT)
    )


def _average(value) -> float | None:
    return None if value is None else round(float(value), 1)


@login_required
@require_GET
def events_report(request):
    """Queries: session, user, the broker-or-manager check, the totals (two), the count and
    the page (each row's figures grouped in it), however many events."""
    require_broker_or_manager(request.user)
    filterset = _filtered(request)
    events = filterset.qs
    return render(
        request,
        "reports/volunteering_events.html",
        {
            "form": filterset.form,
            "totals": selectors.report_totals(events),
            "page": page_of(request, selectors.report_rows(events)),
            "params": filterset.params(),
        },
    )


def _rows(events):
    """One row per event, read in chunks, with its start in the council's time."""
    for event in events.iterator(chunk_size=500):
        yield [
            event.title,
            event.get_kind_display(),
            timezone.localtime(event.starts_at).replace(tzinfo=None, microsecond=0),
            event.get_status_display(),
            event.capacity,
            event.booked,
            event.attended,
            event.waiting,
            event.ratings,
            _average(event.average_rating),
        ]


@login_required
@require_GET
def events_report_download(request):
    """Every event the filters keep, one row each: CSV (streamed), or with ?format=xlsx a
    spreadsheet."""
    require_broker_or_manager(request.user)
    filterset = _filtered(request)
    if filterset.is_bound and not filterset.is_valid():
        # Filters the page would refuse: back to it, where each is said.
        return redirect(f"{reverse('reports:volunteering_events')}?{request.GET.urlencode()}")
    rows = selectors.report_rows(filterset.qs)
    if request.GET.get("format") == "xlsx":
        # Every event since the service began: the workbook is kept until the data changes
        # (figures_cache), as the other reports' figures are; the CSV streams afresh.
        data = figures_cache.figures(
            "volunteering_events.xlsx",
            dict(request.GET.lists()),  # as asked, so that no two askings share a workbook
            lambda: xlsx_bytes(FILENAME, HEADER, _rows(rows)),
        )
        return xlsx_file(FILENAME, data)
    return download("csv", FILENAME, HEADER, _rows(rows))
