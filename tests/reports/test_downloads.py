"""CSV and XLSX downloads of the breakdowns and the ledger: what is in them."""

import csv
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from reports.exports import safe_text
from tests.conftest import client_for

from .conftest import YEAR


def get(hand_ledger, name, **params):
    response = client_for(hand_ledger["manager"]).get(reverse(name), {"year": YEAR, **params})
    assert response.status_code == 200
    return response


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def read_xlsx(response):
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_a_breakdown_downloads_as_csv_with_its_rows_and_filters(hand_ledger):
    response = get(hand_ledger, "reports:breakdown_package", download="csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="breakdown-package-{YEAR}.csv"'
    )
    header, *rows = read_csv(response)
    assert header[0] == "Package" and header[3] == "Committed (£)"
    by_name = {r[0]: r for r in rows}
    assert by_name["Finance"][1:9] == [
        "4000.00", "2000.00", "2000.00", "1800.00", "3800.00", "79.2", "2", "2",
    ]  # fmt: skip
    assert set(by_name) == {"Finance", "Governance", "Volunteers"}
    filtered = read_csv(get(hand_ledger, "reports:breakdown_package", strand="volunteering",
                            download="csv"))  # fmt: skip
    assert [r[0] for r in filtered[1:]] == ["Volunteers"]


def test_a_breakdown_downloads_as_xlsx_with_numbers_as_numbers(hand_ledger):
    response = get(hand_ledger, "reports:breakdown_district", download="xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    header, *rows = read_xlsx(response)
    assert header[0] == "Postcode district"
    le2 = next(r for r in rows if r[0] == "LE2")
    assert le2[3] == Decimal("2000") or le2[3] == 2000
    assert le2[4] == 1800


def test_the_ledger_downloads_every_filtered_entry(hand_ledger):
    header, *rows = read_csv(get(hand_ledger, "reports:ledger", district="LE2", download="csv"))
    assert header[:5] == ["Date and time", "Budget year", "Strand", "Kind", "Amount (£)"]
    assert len(rows) == 4
    assert {r[1] for r in rows} == {"2025/26"}
    assert sorted(r[4] for r in rows) == ["1800.00", "2000.00", "2000.00", "2000.00"]
    xlsx_rows = read_xlsx(get(hand_ledger, "reports:ledger", district="LE2", download="xlsx"))
    assert len(xlsx_rows) == 5


def test_downloads_never_carry_a_formula(hand_ledger):
    org = hand_ledger["orgs"][0]
    org.name = '=HYPERLINK("http://evil.example")'
    org.save(update_fields=["name"])
    rows = read_csv(get(hand_ledger, "reports:ledger", district="LE2", download="csv"))
    names = {r[8] for r in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example")' in names
    assert not any(cell.startswith("=") for row in rows for cell in row)
    xlsx_rows = read_xlsx(get(hand_ledger, "reports:ledger", district="LE2", download="xlsx"))
    assert not any(isinstance(c, str) and c.startswith("=") for row in xlsx_rows for c in row)


def test_safe_text_leaves_ordinary_text_and_numbers_alone():
    assert safe_text("Alpha Trust") == "Alpha Trust"
    assert safe_text("-5") == "'-5"
    assert safe_text(Decimal("-5")) == Decimal("-5")
