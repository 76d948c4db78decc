"""The events and attendance report, for brokers and managers: each event's places, how
many were booked and attended, and its average rating, with the totals; filterable by kind
and dates, a page at a time, and as CSV or XLSX. Drafts are left out (nobody could book them)."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from organisations.listing import page_of

from .. import events_rules as rules
from .. import events_selectors as selectors
from ..events_filters import EventReportFilter
from ..events_permissions import require_broker_or_manager
from ..models import Event

FILENAME = "events-and-attendance"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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


def _rows(events):
    """One row per event, for both downloads (titles made formula-safe)."""
    for event in events.iterator(chunk_size=500):
        yield [
            _text(event.title),
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


def _csv_cell(value):
    if value is None:
        return ""
    return value.isoformat(" ") if hasattr(value, "isoformat") else value


def _csv(rows):
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so Excel reads it as UTF-8
        yield writer.writerow(CSV_HEADER)
        for row in rows:
            yield writer.writerow([_csv_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{FILENAME}.csv"'
    return response


def _xlsx(rows):
    """One write-only sheet (rows go to openpyxl's temporary file as they come)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Events and attendance")
    bold = Font(bold=True)
    sheet.append([_bold(sheet, heading, bold) for heading in CSV_HEADER])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{FILENAME}.xlsx"'
    return response


def _bold(sheet, text, font):
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell


@login_required
@require_GET
def events_report_csv(request):
    """Every event the filters keep, one row each: CSV streamed in chunks, or with
    ?format=xlsx a spreadsheet."""
    require_broker_or_manager(request.user)
    rows = _rows(selectors.report_rows(_filtered(request).qs))
    return _xlsx(rows) if request.GET.get("format") == "xlsx" else _csv(rows)
