"""Section C's report of advice requests by topic and month (reports.volunteering_advice_views,
the figures from volunteering.advice_selectors), at the brokers' address: the figures
(counts and time spent), the date range and who asked as filters, a wrong range refused
with its message, the CSV and XLSX downloads with the same figures and filters, and one
grouped query however many requests there are. For brokers and managers only."""

import csv
import io
import re
from datetime import date, datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import assert_constant_queries, client_for
from tests.factories import UserFactory
from tests.volunteering.advice_support import answered, asked, closed_unanswered, question
from tests.volunteering.support import broker_for
from volunteering.advice_selectors import advice_report
from volunteering.advice_services import ask_for_advice
from volunteering.models import AdviceRequest

pytestmark = pytest.mark.django_db

URL = reverse("reports:volunteering_advice")
DOWNLOAD = reverse("reports:volunteering_advice_download")
JUNE = {
    "asked_from_0": "1",
    "asked_from_1": "6",
    "asked_from_2": "2026",
    "asked_to_0": "30",
    "asked_to_1": "6",
    "asked_to_2": "2026",
}


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _on(advice, year, month, day=15):
    """Say the request was asked on that day (its other dates are not what is counted)."""
    when = timezone.make_aware(datetime(year, month, day, 12, 0))
    AdviceRequest.objects.filter(pk=advice.pk).update(asked_at=when)


@pytest.fixture
def broker(world):
    return broker_for(world.provider, world.manager, user__email="broker@example.org")


@pytest.fixture
def requests(world, broker):
    """Expenses: one answered in 25 minutes (May), one waiting (June); policies: one closed
    without an answer after 5 minutes (June), one answered in 50 minutes (August); a
    volunteer's question about finding a role (June)."""
    _on(answered(world, broker, question="Q1"), 2026, 5)
    _on(asked(world, question="Q2"), 2026, 6)
    _on(closed_unanswered(world, broker, question="Q3", topic="policies"), 2026, 6)
    _on(answered(world, broker, question="Q4", topic="policies", minutes="50"), 2026, 8)
    volunteer = UserFactory()
    _on(ask_for_advice(by=volunteer, fields=question(topic="finding_a_role")), 2026, 6)


def _figures(figures):
    return (
        figures.requests,
        figures.answered,
        figures.closed_unanswered,
        figures.waiting,
        figures.minutes,
    )


def test_the_figures_by_topic_and_by_month(requests):
    report = advice_report()
    by_topic = dict(report.by_topic)
    assert _figures(by_topic["Volunteers' expenses"]) == (2, 1, 0, 1, 25)
    assert _figures(by_topic["Volunteering policies and agreements"]) == (2, 1, 1, 0, 55)
    assert _figures(by_topic["Finding a volunteering role"]) == (1, 0, 0, 1, 0)
    assert _figures(by_topic["DBS checks and safeguarding"]) == (0, 0, 0, 0, 0)
    assert len(report.by_topic) == 7  # every topic, asked about or not
    assert _figures(report.total) == (5, 2, 1, 2, 80)
    months = [(m.month, _figures(f)) for m, f in report.by_month]
    assert months == [
        (5, (1, 1, 0, 0, 25)),
        (6, (3, 0, 1, 2, 5)),
        (7, (0, 0, 0, 0, 0)),  # a month with none is shown, not skipped
        (8, (1, 1, 0, 0, 50)),
    ]


def test_the_date_range_and_who_asked(requests, world):
    june = advice_report(date(2026, 6, 1), date(2026, 6, 30))
    assert _figures(june.total) == (3, 0, 1, 2, 5)
    assert [m.month for m, _ in june.by_month] == [6]
    assert _figures(advice_report(who="volunteers").total) == (1, 0, 0, 1, 0)
    assert _figures(advice_report(who="organisations").total) == (4, 2, 1, 1, 80)
    assert _figures(advice_report(date(2026, 9, 1)).total) == (0, 0, 0, 0, 0)
    # The last day counts whole, in the council's time: 23:30 on 30 June is June's.
    late = asked(world, question="Asked late")
    AdviceRequest.objects.filter(pk=late.pk).update(
        asked_at=timezone.make_aware(datetime(2026, 6, 30, 23, 30))
    )
    assert advice_report(date(2026, 6, 30), date(2026, 6, 30)).total.requests == 1


def test_the_page_shows_the_figures_and_filters_them(requests, broker):
    client = client_for(broker)
    page = _page(client.get(URL))
    assert "Volunteers' expenses 2 1 0 1 25 minutes" in page
    assert "All topics 5 2 1 2 1 hour 20 minutes" in page
    assert "July 2026 0 0 0 0 0 minutes" in page
    page = _page(client.get(URL, {**JUNE, "who": "organisations"}))
    assert "All topics 2 0 1 1 5 minutes" in page and "May 2026" not in page


def test_a_range_that_ends_before_it_starts_is_refused(requests, broker):
    response = client_for(broker).get(
        URL,
        {
            "asked_from_0": "1",
            "asked_from_1": "7",
            "asked_from_2": "2026",
            "asked_to_0": "1",
            "asked_to_1": "6",
            "asked_to_2": "2026",
        },
    )
    page = _page(response)
    assert "There is a problem" in page
    assert "The last day must be the same as or after the first day" in page
    assert 'value="2026"' in response.content.decode()  # what was typed is kept
    assert "Download this report" not in page


def test_a_date_typed_in_part_is_refused_not_ignored(requests, broker):
    response = client_for(broker).get(URL, {"asked_to_1": "6", "asked_to_2": "2026"})
    page = _page(response)
    assert "Enter the last day as a day, month and year" in page
    assert "All topics" in page and "All topics 5" not in page  # no figures as if unfiltered


def test_a_date_that_is_not_real_is_refused(requests, broker):
    page = _page(
        client_for(broker).get(
            URL, {"asked_from_0": "31", "asked_from_1": "2", "asked_from_2": "2026"}
        )
    )
    assert "The first day must be a real date" in page


def test_the_addresses_are_the_brokers_own():
    assert URL == "/broker/advice/report/"
    assert DOWNLOAD == "/broker/advice/report/download/"


def test_the_csv_has_the_same_figures(requests, world):
    response = client_for(world.manager).get(DOWNLOAD, {"who": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="advice-requests-by-topic.csv"'
    body = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["Month", "Topic", "Requests"]
    assert ["2026-06", "Volunteering policies and agreements", "1", "0", "1", "0", "5"] in rows
    assert ["All months", "Volunteers' expenses", "2", "1", "0", "1", "25"] in rows
    assert rows[-1] == ["All months", "All topics", "5", "2", "1", "2", "80"]


def test_the_xlsx_opens_with_the_same_header_and_figures(requests, world):
    response = client_for(world.manager).get(DOWNLOAD, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        'attachment; filename="advice-requests-by-topic.xlsx"'
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0] == (
        "Month",
        "Topic",
        "Requests",
        "Answered",
        "Closed without an answer",
        "Waiting for an answer",
        "Time spent (minutes)",
    )
    assert ("2026-06", "Volunteering policies and agreements", 1, 0, 1, 0, 5) in rows
    assert rows[-1] == ("All months", "All topics", 5, 2, 1, 2, 80)


def test_the_downloads_keep_the_filters(requests, broker):
    client = client_for(broker)
    rows = list(
        load_workbook(
            io.BytesIO(
                client.get(DOWNLOAD, {**JUNE, "who": "organisations", "format": "xlsx"}).content
            )
        ).active.values
    )
    assert rows[-1] == ("All months", "All topics", 2, 0, 1, 1, 5)
    assert not any(row[0] == "2026-05" for row in rows)
    # The page's links carry the filters as typed.
    page = client.get(URL, {**JUNE, "who": "organisations"}).content.decode()
    assert f"{DOWNLOAD}?asked_from_0=1&amp;" in page
    assert "who=organisations&amp;format=xlsx" in page


def test_refused_filters_send_the_download_back_to_the_page(requests, broker):
    client = client_for(broker)
    response = client.get(DOWNLOAD, {"asked_to_1": "6", "asked_to_2": "2026", "format": "csv"})
    assert response.status_code == 302
    assert response.url == f"{URL}?asked_to_1=6&asked_to_2=2026"
    assert "Enter the last day as a day, month and year" in _page(client.get(response.url))


def test_an_old_download_link_goes_on_to_the_download(requests, broker):
    response = client_for(broker).get(URL, {"who": "volunteers", "download": "csv"})
    assert response.status_code == 302
    assert response.url == f"{DOWNLOAD}?who=volunteers&format=csv"


def test_the_report_reads_the_same_queries_however_many_requests(world, broker):
    client = client_for(broker)

    def make_rows(n):
        for i in range(n):
            asked(world, question=f"Question {i} of {AdviceRequest.objects.count()}")

    # Session, user, the broker check, the one grouped query.
    assert assert_constant_queries(make_rows, lambda: client.get(URL)) == 4
    # A manager: session, user, the authenticator (staff second factor, the middleware),
    # the grouped query; no broker check.
    manager = client_for(world.manager)
    assert assert_constant_queries(make_rows, lambda: manager.get(URL)) == 4


def test_only_brokers_and_managers_read_the_report(world, broker):
    assert client_for(world.officer).get(URL).status_code == 403
    for person in (world.provider_user, world.org_a_admin, world.outsider):
        assert client_for(person).get(URL).status_code == 404
        assert client_for(person).get(URL, {"download": "csv"}).status_code == 404
        assert client_for(person).get(DOWNLOAD).status_code == 404
    assert client_for(world.officer).get(DOWNLOAD).status_code == 403
    assert client_for(broker).get(DOWNLOAD).status_code == 200
