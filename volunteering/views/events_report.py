"""The events and attendance report, for brokers and managers: each event's places, how
many were booked and attended, and its average rating, with the totals; filterable by kind
and dates, a page at a time, and as CSV. Drafts are left out (nobody could book them)."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from organisations.listing import page_of

from .. import events_rules as rules
from .. import events_selectors as selectors
from ..events_filters import EventReportFilter
from ..events_permissions import require_broker_or_manager
from ..models import Event

CSV_HEADER = [
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


# A title a spreadsheet would read as a formula is prefixed with an apostrophe, as
# reports.exports does (a higher app, so not imported here).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _average(value) -> str:
    return "" if value is None else f"{value:.1f}"


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
        "volunteering/events/report.html",
        {
            "form": filterset.form,
            "totals": selectors.report_totals(events),
            "page": page_of(request, selectors.report_rows(events)),
            "params": filterset.params(),
        },
    )


class _Echo:
    def write(self, value):
        return value


@login_required
@require_GET
def events_report_csv(request):
    """Every event the filters keep, one row each, streamed in chunks."""
    require_broker_or_manager(request.user)
    rows = selectors.report_rows(_filtered(request).qs)
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so Excel reads it as UTF-8
        yield writer.writerow(CSV_HEADER)
        for event in rows.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    _text(event.title),
                    event.get_kind_display(),
                    event.starts_at.isoformat(),
                    event.get_status_display(),
                    event.capacity,
                    event.booked,
                    event.attended,
                    event.waiting,
                    event.ratings,
                    _average(event.average_rating),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="events-and-attendance.csv"'
    return response
