"""The volunteer centre's agreement in the browser's terms: managers make it, the centre sends
its reports, officers review them; every refusal says why and keeps what was typed."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from allowances.models import LedgerEntry, LedgerKind
from tests.conftest import client_for, count_queries
from volunteering.models import CentreAgreement

from . import matrix
from .agreement_support import ANSWERS, END, START, agreed, budget

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _url(name, *args):
    return reverse(f"volunteering:{name}", args=args)


def _form(provider, **changes):
    return {
        "provider": provider.pk,
        "amount": "40000",
        "starts_on_0": START.day,
        "starts_on_1": START.month,
        "starts_on_2": START.year,
        "ends_on_0": END.day,
        "ends_on_1": END.month,
        "ends_on_2": END.year,
        "schedule": "quarterly",
        **changes,
    }


def test_a_manager_makes_the_agreement_and_sees_its_reports(world, manager_client):
    matrix.broker(world)
    budget()
    response = manager_client.post(_url("agreement_new"), _form(world.provider))
    agreement = CentreAgreement.objects.get()
    assert response.status_code == 302 and response.url == _url("agreement", agreement.pk)
    page = _page(manager_client.get(_url("agreement", agreement.pk)))
    assert f"Agreement with {world.provider.name}" in page
    assert "£40,000.00" in page and "Report 4" in page
    assert "Volunteer centre's funding agreement made and committed" in page


def test_an_agreement_the_strand_cannot_hold_is_refused_on_the_amount_and_kept(
    world, manager_client
):
    matrix.broker(world)
    budget("1000.00")
    response = manager_client.post(_url("agreement_new"), _form(world.provider))
    page = _page(response)
    assert "has £1,000.00 left, but this award is £40,000.00" in page
    assert 'value="40000"' in response.content.decode()
    assert not CentreAgreement.objects.exists()


def test_an_empty_form_asks_for_each_answer(world, manager_client):
    matrix.broker(world)
    page = _page(manager_client.post(_url("agreement_new"), {}))
    for words in (
        "Select the provider that runs the volunteer centre",
        "Enter the amount of the agreement",
        "Select how the agreement is paid",
    ):
        assert words in page


def test_only_providers_with_brokers_are_offered(world, manager_client):
    page = _page(manager_client.get(_url("agreement_new")))
    assert world.provider.name not in page
    matrix.broker(world)
    assert world.provider.name in _page(manager_client.get(_url("agreement_new")))


def test_the_centre_sends_its_report_and_an_officer_accepts_it(world, officer_client):
    agreement = agreed(world)
    report = agreement.reports.get(period=1)
    centre = client_for(world.provider_user)
    page = _page(centre.get(_url("centre_report", report.pk)))
    assert "Placements started" in page and "Send the report" in page
    response = centre.post(_url("centre_report", report.pk), {**ANSWERS, "send": "1"})
    assert response.status_code == 302
    review = _url("agreement_report_review", report.pk)
    page = _page(officer_client.get(review))
    assert ANSWERS["work_done"] in page and "The service's figures for the period" in page
    response = officer_client.post(review, {"outcome": "accept"})
    assert response.status_code == 302
    assert LedgerEntry.objects.filter(
        award=agreement.award, kind=LedgerKind.SPEND
    ).get().amount == (Decimal("10000.00"))
    again = _page(officer_client.post(review, {"outcome": "accept"}))
    assert "This report has been accepted and its instalment paid." in again
    assert LedgerEntry.objects.filter(kind=LedgerKind.SPEND).count() == 1


def test_sending_without_answers_names_each_and_keeps_what_was_typed(world):
    report = agreed(world).reports.get(period=1)
    centre = client_for(world.provider_user)
    response = centre.post(
        _url("centre_report", report.pk), {"work_done": "Some of it", "send": "1"}
    )
    page = _page(response)
    assert "Describe what difference it made" in page
    assert "Describe what you plan for the next period" in page
    assert "Some of it" in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.work_done) == ("due", "")


def test_a_report_whose_period_is_under_way_is_only_saved(world):
    report = matrix.report_in_progress(world)
    centre = client_for(world.provider_user)
    page = _page(centre.get(_url("centre_report", report.pk)))
    assert "Send the report" not in page and "the last day of its period" in page
    centre.post(_url("centre_report", report.pk), {**ANSWERS, "send": "1"})
    report.refresh_from_db()
    assert report.status == "due"


def test_asking_for_more_needs_words(world, officer_client):
    report = matrix.report_sent(world)
    page = _page(
        officer_client.post(
            _url("agreement_report_review", report.pk), {"outcome": "more", "more_needed": " "}
        )
    )
    assert "Enter what more the volunteer centre needs to tell you" in page
    report.refresh_from_db()
    assert report.status == "sent"


def test_lists_cost_the_same_at_any_size(world, officer_client):
    matrix.broker(world)
    budget()
    from datetime import date

    from volunteering.agreement_services import make_agreement

    made = []

    def more(n):
        for _ in range(n):
            year = 2025 - len(made) // 12  # ended, so each report is overdue by now
            starts = date(year, 1 + len(made) % 12, 1)
            budget(on=starts)
            made.append(
                make_agreement(
                    provider=world.provider,
                    amount=Decimal("1200.00"),
                    starts_on=starts,
                    ends_on=date(year + 1, starts.month, 1),
                    schedule="single",
                    by=world.manager,
                )
            )

    centre = client_for(world.provider_user)
    pages = [
        lambda: officer_client.get(_url("agreements")),
        lambda: officer_client.get(_url("agreement_reviews")),
        lambda: centre.get(_url("centre_reports")),
    ]

    def measured():
        counts = []
        for fetch in pages:
            fetch()  # warm per-process caches out of the count
            with count_queries() as queries:
                assert fetch().status_code == 200
            counts.append(len(queries))
        return counts

    more(1)  # one agreement: one report, overdue, on all three pages
    small = measured()
    more(24)  # 25 agreements, and 25 reports on each page
    counts = measured()
    assert counts == small, (small, counts)
    # The agreements list (which also counts the reports waiting for review), the review
    # queue and the centre's reports, the same at 1 row and at 25.
    assert counts == [6, 5, 5]


def test_a_report_sent_back_shows_officers_no_unsent_changes(world, officer_client):
    from volunteering.agreement_services import ask_for_more, save_report

    report = matrix.report_sent(world)
    ask_for_more(report=report, by=world.officer, what="How many were under 25?")
    save_report(
        report=report,
        answers={**ANSWERS, "outcomes": "A draft the council must not read yet"},
        by=world.provider_user,
    )
    page = _page(officer_client.get(_url("agreement_report_review", report.pk)))
    assert "A draft the council must not read yet" not in page
    assert "has not sent this report again yet" in page
    centre = _page(client_for(world.provider_user).get(_url("centre_report", report.pk)))
    assert "The service's figures for the period so far" in centre


def test_a_manager_ends_the_agreement_from_its_page(world, manager_client):
    agreement = matrix.agreement(world)  # report 2 sent: decide on it first
    end = _url("agreement_end", agreement.pk)
    assert end in manager_client.get(_url("agreement", agreement.pk)).content.decode()
    page = _page(manager_client.post(end, {"reason": "The centre has closed."}))
    assert "Report 2 was sent and is waiting for review" in page
    assert "The centre has closed." in page  # what was typed is kept
    from volunteering.agreement_services import accept_report

    accept_report(report=agreement.reports.get(period=2), by=world.officer)
    assert "2 reports not yet sent will no longer be due" in _page(manager_client.get(end))
    response = manager_client.post(end, {"reason": "The centre has closed."})
    assert response.status_code == 302
    page = _page(manager_client.get(_url("agreement", agreement.pk)))
    assert "Ended early" in page and "No longer due" in page
    assert "End this agreement early" not in page
