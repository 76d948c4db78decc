"""The public open-data page and its files: anyone, no account, stable addresses.

Files come from the newest published release (tests/reports/test_open_data_releases.py
covers preparing and publishing); here, what a visitor and a harvester get.
"""

import csv
import io
import json
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.http import http_date

from reports import open_data_files
from reports.models import OpenDataKind, OpenDataRelease
from reports.open_data import GRANTS_CSV_HEADER
from reports.open_data_releases import prepare_release, publish_release
from tests.conftest import client_for
from tests.factories import BudgetYearFactory

from .conftest import YEAR

pytestmark = pytest.mark.usefixtures("open_data_storage")

SCHEMA = json.loads(
    (Path(settings.BASE_DIR) / "reports" / "schema" / "360-giving-package-schema.json").read_text()
)
PAGE = reverse("open_data:public")


def file_url(filename: str) -> str:
    return reverse("open_data:file", args=[filename])


def published(manager, year=None) -> OpenDataRelease:
    """Prepared (its task runs at once in tests) and published, through the services."""
    release = prepare_release(by=manager, year=year)
    release.refresh_from_db()
    return publish_release(release, by=manager)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def stored(release, kind, year) -> bytes:
    with open_data_files.storage().open(release.files.get(kind=kind, year=year).name) as f:
        return f.read()


class Links(HTMLParser):
    """Every link on a page: (href, its text with spaces collapsed)."""

    def __init__(self):
        super().__init__()
        self.links, self._href, self._text = [], None, []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def links(response) -> list[tuple[str, str]]:
    parser = Links()
    parser.feed(response.content.decode())
    return parser.links


# --- Two clicks from the start page


def test_a_visitor_without_an_account_reaches_the_360giving_json_in_two_clicks(hand_ledger):
    published(hand_ledger["manager"])
    visitor = client_for(None)

    start = visitor.get(reverse("start"))
    assert start.status_code == 200
    first = [href for href, text in links(start) if "Open data" in text]
    assert first and set(first) == {PAGE}  # the footer's link, and the start page's own

    page = visitor.get(first[0])
    assert page.status_code == 200
    second = [href for href, text in links(page) if text.startswith("360Giving JSON")]
    assert file_url("360giving.json") in second
    assert file_url("360giving-2025.json") in second

    download = visitor.get(file_url("360giving.json"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/json"
    assert download["Content-Disposition"] == 'attachment; filename="360giving.json"'
    grants = json.loads(body(download))["grants"]
    assert {g["recipientOrganization"][0]["name"] for g in grants} == {
        "Alpha Trust",
        "Gamma CIC",
        "Delta Group",
    }


def test_every_file_of_the_release_is_linked_and_served_to_anyone(hand_ledger):
    release = published(hand_ledger["manager"])
    hrefs = {href for href, _ in links(client_for(None).get(PAGE))}
    for f in release.files.all():
        filename = open_data_files.KINDS[f.kind].filename(f.year)
        assert file_url(filename) in hrefs, filename
        response = client_for(None).get(file_url(filename))
        assert response.status_code == 200, filename
        assert body(response) == stored(release, f.kind, f.year)
    assert {file_url(n) for n in ("360giving.xlsx", "transparency-code-grants-2025.csv")} <= hrefs


# --- Headers for harvesters


def test_the_file_has_an_etag_and_last_modified_and_is_not_sent_again_unchanged(hand_ledger):
    release = published(hand_ledger["manager"], YEAR)
    json_file = release.files.get(kind=OpenDataKind.GRANTS_JSON)
    client = client_for(None)
    url = file_url("360giving-2025.json")

    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"] == f'"{json_file.sha256}"'
    assert first["Last-Modified"] == http_date(release.published_at.timestamp())
    assert int(first["Content-Length"]) == json_file.size

    unchanged = client.get(url, headers={"if-none-match": first["ETag"]})
    assert unchanged.status_code == 304 and unchanged.content == b""
    since = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304
    assert client.get(url, headers={"if-none-match": '"another"'}).status_code == 200

    # A new release with different bytes: a new ETag, sent in full.
    alpha = hand_ledger["orgs"][0]
    alpha.name = "Alpha Trust (Leicester)"
    alpha.save()
    newer = published(hand_ledger["manager"], YEAR)
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] == f'"{newer.files.get(kind=OpenDataKind.GRANTS_JSON).sha256}"'


def test_the_public_file_answers_only_get(hand_ledger):
    published(hand_ledger["manager"])
    assert client_for(None).post(file_url("360giving.json")).status_code == 405
    assert client_for(None).post(PAGE).status_code == 405


# --- Bad addresses


@pytest.mark.parametrize(
    "filename",
    [
        "360giving-abcd.json",
        "360giving-1999.json",  # a year never published
        "360giving-2026.json",  # a budget year whose release was prepared, never published
        "evil.exe",
        "360giving.exe",
        "360giving-2025.json.exe",
        "360giving-٢٠٢٥.json",  # digits, but not ASCII ones
        "360giving-20251.json",
        "360giving.csv",  # the manager's CSV is not a public file
        "transparency-code-grants-2025.json",
        "grant-digests-2025.tsv",  # kept beside the release, never served
    ],
)
def test_unknown_files_and_years_not_published_are_not_found(hand_ledger, filename):
    manager = hand_ledger["manager"]
    published(manager)
    BudgetYearFactory(start_year=YEAR + 1)
    prepare_release(by=manager, year=YEAR + 1)  # ready, not published
    assert client_for(None).get(file_url("360giving-2025.json")).status_code == 200
    assert client_for(None).get(file_url(filename)).status_code == 404


def test_nothing_published_yet_is_said_and_every_file_is_not_found(hand_ledger):
    prepare_release(by=hand_ledger["manager"], year=None)  # ready, not published
    page = client_for(None).get(PAGE)
    assert page.status_code == 200
    assert "Nothing has been published yet." in page.content.decode()
    assert client_for(None).get(file_url("360giving.json")).status_code == 404


# --- A year with no grants


def test_a_year_with_no_grants_gives_a_valid_empty_package(hand_ledger):
    BudgetYearFactory(start_year=YEAR + 1)
    published(hand_ledger["manager"])
    visitor = client_for(None)

    empty = json.loads(body(visitor.get(file_url("360giving-2026.json"))))
    assert empty == {"grants": []}
    jsonschema.validate(empty, SCHEMA, format_checker=jsonschema.FormatChecker())

    sheet = openpyxl.load_workbook(io.BytesIO(body(visitor.get(file_url("360giving-2026.xlsx")))))
    assert [[c.value for c in row] for row in sheet["grants"].iter_rows()] == [GRANTS_CSV_HEADER]
    transparency = body(visitor.get(file_url("transparency-code-grants-2026.csv")))
    assert len(list(csv.reader(io.StringIO(transparency.decode("utf-8-sig"))))) == 1  # header

    html = visitor.get(PAGE).content.decode()
    assert "2026/27" in html


# --- The page: constant queries, and what it says


def _several_releases_and_years(manager):
    """Three more years and three more releases, over those already published."""
    for year in (YEAR - 1, YEAR + 1, YEAR + 2):
        BudgetYearFactory(start_year=year)
    published(manager)
    published(manager, YEAR + 1)
    published(manager, YEAR)


def test_the_public_page_makes_the_same_queries_at_one_release_and_at_several(
    hand_ledger, django_assert_num_queries
):
    manager = hand_ledger["manager"]
    published(manager, YEAR)
    visitor = client_for(None)
    visitor.get(PAGE)  # warm per-process caches out of the count

    # 1. the published files, each with its release: the newest published of
    #    each (kind, year), found by a subquery (reports.open_data_releases.published_files).
    with django_assert_num_queries(1):
        small = visitor.get(PAGE)
    assert len(file_links(small)) == 3  # 2025/26's three files

    _several_releases_and_years(manager)
    with django_assert_num_queries(1):
        large = visitor.get(PAGE)
    # Every year, and 2024/25 to 2027/28: three files each.
    assert large.content.decode().count("<caption") == 5
    assert len(file_links(large)) == 15


def file_links(response) -> set[str]:
    return {href for href, _ in links(response) if href.startswith(PAGE) and href != PAGE}


def _table_for(html: str, caption: str) -> str:
    start = html.index(f">{caption}</caption>")
    return html[start : html.index("</table>", start)]


def local_day(moment) -> str:
    return dateformat.format(timezone.localtime(moment), "j F Y")


def test_the_page_gives_the_licence_publisher_contact_and_when_each_file_was_published(
    hand_ledger,
):
    manager = hand_ledger["manager"]

    def on(day):
        return time_machine.travel(datetime(2026, 1, day, 10, tzinfo=UTC), tick=False)

    with on(10):
        everything = prepare_release(by=manager, year=None)
    with on(12):
        everything = publish_release(everything, by=manager)
    with on(20):
        this_year = prepare_release(by=manager, year=YEAR)
    with on(21):
        this_year = publish_release(this_year, by=manager)

    response = client_for(None).get(PAGE)
    html = response.content.decode()
    assert ("https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            "Open Government Licence v3.0") in links(response)  # fmt: skip
    assert settings.COUNCIL_NAME in html
    assert "GB-LAE-LCE" in html and settings.OPEN_DATA_PREFIX in html
    contact = settings.OPEN_DATA_CONTACT_EMAIL
    assert (f"mailto:{contact}", contact) in links(response)
    assert "What the files leave out, and why" in html
    assert "name, email address or phone number of any person" in html

    # Each file says when it was published, and the data's date: every year's from
    # the first release, 2025/26's from the newer one.
    every_year, year_2025 = _table_for(html, "Every year"), _table_for(html, "2025/26")
    assert local_day(everything.published_at) == "12 January 2026"
    assert every_year.count("12 January 2026") == 3 and "21 January 2026" not in every_year
    assert every_year.count("data as at 10 January 2026") == 3
    assert year_2025.count("21 January 2026") == 3 and "12 January 2026" not in year_2025
    ready = dateformat.format(timezone.localtime(this_year.ready_at), "j F Y H:i")
    assert year_2025.count(f"data as at {ready}") == 3


def test_the_licence_and_contact_are_settings(hand_ledger, settings):
    settings.OPEN_DATA_LICENCE_NAME = "Creative Commons Attribution 4.0"
    settings.OPEN_DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
    settings.OPEN_DATA_CONTACT_EMAIL = "opendata@example.gov.uk"
    response = client_for(None).get(PAGE)
    found = links(response)
    assert (settings.OPEN_DATA_LICENCE_URL, "Creative Commons Attribution 4.0") in found
    assert ("mailto:opendata@example.gov.uk", "opendata@example.gov.uk") in found
    assert "Open Government Licence" not in response.content.decode()


# --- The 360Giving spreadsheet


def test_the_spreadsheet_has_one_grants_sheet_with_the_standards_columns(hand_ledger):
    delta = hand_ledger["orgs"][3]
    delta.name = '=HYPERLINK("https://evil.example","Delta")'
    delta.save()
    published(hand_ledger["manager"], YEAR)

    data = body(client_for(None).get(file_url("360giving-2025.xlsx")))
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["grants"]
    rows = list(workbook["grants"].iter_rows())
    header = [c.value for c in rows[0]]
    assert header == GRANTS_CSV_HEADER
    assert len(rows) - 1 == 3  # A, C and D: B's package was cancelled

    column = {title: n for n, title in enumerate(header)}
    by_name = {row[column["Recipient Org:Name"]].value: row for row in rows[1:]}
    for row in rows[1:]:
        for title in ("Amount Awarded", "Amount Disbursed"):
            cell = row[column[title]]
            assert cell.data_type == "n" and isinstance(cell.value, int | float), title
        assert all(c.data_type != "f" for c in row)  # nothing is a formula
    assert by_name["Alpha Trust"][column["Amount Awarded"]].value == 2000
    assert by_name["Alpha Trust"][column["Amount Disbursed"]].value == 1800
    # The name that starts with "=" is text, not a formula.
    named = next(n for n in by_name if "HYPERLINK" in n)
    assert by_name[named][column["Amount Awarded"]].value == 1000
    cell = by_name[named][column["Recipient Org:Name"]]
    assert cell.data_type == "s"
    assert cell.value == "'" + delta.name
