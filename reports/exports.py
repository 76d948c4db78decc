"""Tables as CSV and XLSX downloads.

Text that a spreadsheet would read as a formula (a name starting with "=",
"+", "-" or "@") is prefixed with an apostrophe: organisation and package
names are typed by the public, and a download must never run anything.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
FORMATS = ("csv", "xlsx")


def safe_text(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")  # as exact as it came: 2000.00, a share as 79.2
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return safe_text(str(value))


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    """Streamed, so a long ledger is never held in memory whole."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so Excel reads the £ sign and accents as UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_csv_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_cell(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return safe_text(value)


def write_xlsx(out, title: str, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    """One sheet, a bold header and the rows, written to the binary file `out`.

    The workbook is write-only: rows go to openpyxl's own temporary file as
    they come, so a long table is never held in memory whole.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    bold = Font(bold=True)
    sheet.append([_header_cell(sheet, h, bold) for h in header])
    for row in rows:
        sheet.append([_money_cell(sheet, _xlsx_cell(v)) for v in row])
    workbook.save(out)


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    out = io.BytesIO()
    write_xlsx(out, title, header, rows)
    return out.getvalue()


def _header_cell(sheet, text, font):
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell


def _money_cell(sheet, value):
    if not isinstance(value, Decimal):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = MONEY_FORMAT
    return cell


def xlsx_file(filename: str, data: bytes):
    """A workbook already written (xlsx_bytes, perhaps kept by figures_cache), as a download."""
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    return xlsx_file(filename, xlsx_bytes(filename, header, rows))


def download(fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows)
    return csv_response(filename, header, rows)
