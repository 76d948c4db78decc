"""Section C's events and attendance report (reports.volunteering_events_views), at the
brokers' address: the figures and filters on the page, the CSV and XLSX downloads with the
same filters (a title a spreadsheet would run made safe), the same queries however many
events, and who may see it (brokers and managers; officers 403; everyone else 404)."""

import re
from contextlib import contextmanager
from html import unescape
from io import BytesIO

import pytest
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import assert_constant_queries, client_for
from tests.volunteering.events_support import draft_event, member, past_event_with
from tests.volunteering.support import broker_for
from volunteering.events_services import give_feedback, record_attendance
from volunteering.models import Event

pytestmark = pytest.mark.django_db

URL = reverse("reports:volunteering_events")
DOWNLOAD = reverse("reports:volunteering_events_download")


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


@pytest.fixture
def as_broker(broker):
    return client_for(broker)


def _held(broker, world, **changes):
    """A past event with two booked: one attended and rated, one did not come."""
    event, (came, missed) = past_event_with(
        broker, [member(world.org_a), member(world.org_b)], **changes
    )
    record_attendance(event=event, by=broker, present={came.pk})
    give_feedback(booking=came, by=came.user, rating=4, comment="")
    return event


def test_the_addresses_are_the_brokers_own():
    assert URL == "/broker/events/report/"
    assert DOWNLOAD == "/broker/events/report/download/"


def test_the_report_counts_places_booked_attended_and_the_average_rating(world, broker, as_broker):
    _held(broker, world, title="Held training", capacity=10)
    _held(broker, world, title="Held networking", kind="networking", capacity=5)
    draft_event(broker, title="Not in the report")
    page = _page(as_broker.get(URL))
    assert "2 events" in page and "Not in the report" not in page
    assert "Places 15" in page and "Booked 4" in page and "Attended 2" in page
    assert "4.0 out of 5, from 2 ratings" in page
    page = _page(as_broker.get(URL, {"kind": "networking"}))
    assert "1 event" in page and "Held training" not in page and "Places 5" in page


def test_the_report_downloads_as_csv_with_the_filters(world, broker, as_broker):
    _held(broker, world, title="=Held training")
    _held(broker, world, title="Networking", kind="networking")
    response = as_broker.get(DOWNLOAD, {"kind": "training"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="events-and-attendance.csv"'
    rows = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert rows[0].startswith("Event,Kind,Starts,Status,Places,Booked,Attended")
    assert len(rows) == 2
    assert rows[1].startswith("'=Held training,Training,") and rows[1].endswith(",2,1,0,1,4.0")


def test_the_report_downloads_as_xlsx_with_the_filters(world, broker, as_broker):
    _held(broker, world, title="Training day")
    _held(broker, world, title="Networking", kind="networking")
    response = as_broker.get(DOWNLOAD, {"kind": "training", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Event", "Kind", "Starts") and len(rows) == 2
    assert rows[1][0] == "Training day" and rows[1][4:] == (10, 2, 1, 0, 1, 4.0)
    page = as_broker.get(URL, {"kind": "training"}).content.decode()
    assert "?kind=training&amp;format=xlsx" in page


@pytest.mark.parametrize("title", ["=HYPERLINK(1)", "+1", "-1", "@SUM(A1)"])
def test_a_title_a_spreadsheet_would_run_is_made_safe_in_the_xlsx(world, broker, as_broker, title):
    _held(broker, world, title=title)
    response = as_broker.get(DOWNLOAD, {"format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=1)
    assert cell.value == "'" + title and cell.data_type == "s"


def test_the_report_reads_the_same_queries_however_many_events(world, broker):
    def make_rows(n):
        for _ in range(n):
            _held(broker, world)

    # Session, user, the manager's second factor (staff), the totals (events and places,
    # then bookings), the count and the page (each event's figures grouped in it).
    client = client_for(world.manager)
    count = assert_constant_queries(make_rows, lambda: client.get(URL), large=8)
    assert count == 7


def test_the_report_is_for_brokers_and_managers(world, broker):
    for address in (URL, DOWNLOAD):
        assert client_for(world.manager).get(address).status_code == 200
        assert client_for(world.officer).get(address).status_code == 403
        assert client_for(world.org_a_admin).get(address).status_code == 404
        assert client_for(world.provider_user).get(address).status_code == 404


def test_the_brokers_events_page_links_to_the_report(as_broker):
    page = as_broker.get(reverse("volunteering:broker_events")).content.decode()
    assert URL in page


@contextmanager
def committed():
    """As a commit would: what waits for it runs (the data version moves), nothing is left."""
    connection.run_on_commit = []
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
    connection.run_on_commit = []


def test_the_xlsx_is_kept_per_asking_until_the_events_change(world, broker, as_broker, settings):
    settings.REPORT_FIGURES_SECONDS = 600
    with committed():
        _held(broker, world, title="Training day")

    def titles(**query):
        response = as_broker.get(DOWNLOAD, {"format": "xlsx", **query})
        return [row[0] for row in load_workbook(BytesIO(response.content)).active.values][1:]

    assert titles() == ["Training day"]
    # Kept: a change that moves no data version (an update() on its own) is not seen yet.
    Event.objects.filter(title="Training day").update(title="Renamed quietly")
    assert titles() == ["Training day"]
    assert titles(kind="networking") == []  # another asking, another workbook
    refused = as_broker.get(DOWNLOAD, {"format": "xlsx", "kind": "nonsense"})
    assert refused.status_code == 302 and refused.url == f"{URL}?format=xlsx&kind=nonsense"
    with committed():
        _held(broker, world, title="Networking", kind="networking")
    assert sorted(titles()) == ["Networking", "Renamed quietly"]
