"""Monitoring through the pages: the representative's grant and report form, the officers'
queue, review and view of one grant; who may do what; the messages for bad input.

The clock is fixed at 3 December 2026 and the grant's period moved so that it began on
1 June: report 1 (June to August) is overdue, report 2 (September to November) may be
sent, report 3's period is under way, report 4's has not started.
"""

import re
from datetime import date, datetime
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from grants.models import MonitoringReport
from grants.monitoring_services import accept_report, send_report
from grants.rules import LONDON
from organisations import listing

from ..conftest import assert_constant_queries, client_for
from .monitoring import ANSWERS, reports_of, under_way

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 3)


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(datetime(2026, 12, 3, 10, tzinfo=LONDON), tick=True):
        yield


@pytest.fixture
def decision(world):
    return under_way(world, TODAY)


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def form_data(**overrides):
    data = {k: str(v) for k, v in ANSWERS.items()}
    data.update(overrides)
    return data


def send(report, world):
    return send_report(report=report, answers=ANSWERS, by=world.org_a_admin)


# --------------------------------------------------------------- the representative


def test_the_representative_sees_its_grant_each_report_and_the_rule(world, decision):
    first, second, third, fourth = reports_of(decision)
    assert (first.period_starts_on, fourth.period_ends_on) == (date(2026, 6, 1), date(2027, 5, 31))
    page = text(client_for(world.org_a_admin).get(reverse("grants:grant", args=[decision.pk])))
    assert "Your representation grant" in page
    assert decision.award.reference in page and "£12,000.00" in page
    assert "1 June 2026 to 31 May 2027" in page
    assert "Each instalment is paid when the council accepts the monitoring report" in page
    assert "Accepted reports are published on your public page" in page
    assert "Paid so far £0.00 (0 of 4 instalments); £12,000.00 still to pay" in page
    # Each report's state as of today: the first overdue, the second ready to send.
    assert "Report 1 1 Jun 2026 to 31 Aug 2026 14 Sep 2026 £3,000.00 Overdue Not yet" in page
    assert "Report 2 1 Sep 2026 to 30 Nov 2026 14 Dec 2026 £3,000.00 Ready to send" in page
    assert "Period in progress" in page and "Period not started" in page


def test_the_grant_page_shows_a_paid_instalment(world, decision):
    first = send(reports_of(decision)[0], world)
    accept_report(report=first, by=world.officer)
    page = text(client_for(world.org_a_admin).get(reverse("grants:grant", args=[decision.pk])))
    assert "Paid so far £3,000.00 (1 of 4 instalments); £9,000.00 still to pay" in page
    assert "Accepted, instalment paid Yes, 3 Dec 2026" in page


def test_the_application_page_links_to_the_grant_once_accepted(world, decision):
    page = client_for(world.org_a_admin).get(
        reverse("grants:application", args=[decision.application_id])
    )
    assert reverse("grants:grant", args=[decision.pk]) in page.content.decode()


def test_members_read_and_administrators_write(world, decision):
    report = reports_of(decision)[1]
    url = reverse("grants:grant_report", args=[report.pk])
    member = client_for(world.org_a_member)
    grant_page = text(member.get(reverse("grants:grant", args=[decision.pk])))
    assert "An administrator of your organisation writes and sends the reports." in grant_page
    page = member.get(url)
    assert page.status_code == 200
    assert "An administrator of your organisation writes and sends the report." in text(page)
    assert "<textarea" not in page.content.decode()
    assert member.post(url, form_data(send="1")).status_code == 403
    for outsider in (world.org_b_admin, world.officer, world.provider_user):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(outsider).get(
            reverse("grants:grant", args=[decision.pk])
        ).status_code == (404)
    assert MonitoringReport.objects.get(pk=report.pk).status == "due"


def test_a_draft_is_saved_with_what_was_typed(world, decision):
    report = reports_of(decision)[2]  # period under way: a draft, not sending
    client = client_for(world.org_a_admin)
    url = reverse("grants:grant_report", args=[report.pk])
    page = text(client.get(url))
    assert "You can send this report from 28 February 2027, the last day of its period." in page
    assert "published on your public page" in page
    assert "Send the report" not in page
    response = client.post(url, {"engagement_activities": "First meeting held.", "save": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.engagement_activities == "First meeting held." and report.status == "due"
    # Sending before the last day of the period is refused, and what was typed stays.
    response = client.post(url, form_data(send="1", community_views="Calmer now."))
    assert response.status_code == 200
    assert "the last day of its period" in text(response)
    assert "Calmer now." in response.content.decode()
    assert MonitoringReport.objects.get(pk=report.pk).status == "due"


def test_sending_with_answers_missing_shows_each_message_and_keeps_the_rest(world, decision):
    report = reports_of(decision)[1]
    client = client_for(world.org_a_admin)
    url = reverse("grants:grant_report", args=[report.pk])
    response = client.post(
        url,
        {"engagement_activities": "Two meetings at the centre.", "people_reached": "", "send": "1"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert "<title>Error: " in page
    for message in (
        "Enter the number of people reached",
        "Describe the issues you took to the council",
        "Describe the feedback you gave to the community",
        "Describe any changes in the community&#x27;s views",
    ):
        assert message in page
    assert "Describe the engagement activities" not in page
    assert "Two meetings at the centre." in page
    assert MonitoringReport.objects.get(pk=report.pk).status == "due"
    # A number that cannot be read, and answers missing: all said at once, all kept.
    response = client.post(
        url, {"engagement_activities": "Two meetings.", "people_reached": "lots", "send": "1"}
    )
    page = response.content.decode()
    assert "Enter the number of people reached as a whole number, like 120" in page
    assert "Describe the issues you took to the council" in page
    assert 'value="lots"' in page and "Two meetings." in page


@pytest.mark.parametrize(
    "typed, message",
    [
        ("lots", "Enter the number of people reached as a whole number, like 120"),
        ("-3", "The number of people reached must be 0 or more"),
        ("12.5", "Enter the number of people reached as a whole number, like 120"),
    ],
)
def test_people_reached_must_be_a_whole_number_of_0_or_more(world, decision, typed, message):
    report = reports_of(decision)[1]
    client = client_for(world.org_a_admin)
    response = client.post(
        reverse("grants:grant_report", args=[report.pk]), form_data(people_reached=typed, send="1")
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert MonitoringReport.objects.get(pk=report.pk).status == "due"


def test_sending_a_complete_report_from_the_page(world, decision):
    report = reports_of(decision)[1]
    client = client_for(world.org_a_admin)
    url = reverse("grants:grant_report", args=[report.pk])
    response = client.post(url, form_data(people_reached="1,200", send="1"))
    assert response.status_code == 302
    assert response.url == reverse("grants:grant", args=[decision.pk])
    report.refresh_from_db()
    assert (report.status, report.people_reached) == ("sent", 1200)
    page = text(client.get(url))
    assert "The council is reviewing this report." in page and "<textarea" not in page
    # Sent: a second POST (a form opened before) changes nothing, says why, and shows
    # what was typed so it is not lost.
    response = client.post(url, form_data(send="1", issues_raised="Changed on a second tab."))
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page and "This report can no longer be changed." in page
    assert "What you wrote, not saved" in page and "Changed on a second tab." in page
    assert MonitoringReport.objects.get(pk=report.pk).issues_raised == ANSWERS["issues_raised"]


def test_a_report_whose_period_has_not_started_cannot_be_written(world, decision):
    report = reports_of(decision)[3]
    client = client_for(world.org_a_admin)
    url = reverse("grants:grant_report", args=[report.pk])
    page = text(client.get(url))
    assert "This report's period starts on 1 March 2027: write it from then." in page
    refused = client.post(url, form_data(save="1"))
    assert refused.status_code == 200 and "write it from then" in text(refused)
    assert MonitoringReport.objects.get(pk=report.pk).engagement_activities == ""


# --------------------------------------------------------------- officers


def test_the_queue_lists_sent_reports_first_then_overdue_ones(world, decision):
    first, second, *_ = reports_of(decision)
    send(second, world)
    page = text(client_for(world.officer).get(reverse("grants:grant_reports")))
    assert "2 reports" in page
    assert page.index("Report 2") < page.index("Report 1")
    assert "Sent, waiting for the council" in page and "Overdue" in page
    for outsider in (world.org_a_admin, world.org_b_admin, world.provider_user):
        assert client_for(outsider).get(reverse("grants:grant_reports")).status_code == 404


def _more_sent_reports(decision, world, n):
    start = MonitoringReport.objects.filter(decision=decision).count() + 1
    MonitoringReport.objects.bulk_create(
        MonitoringReport(
            decision=decision,
            period=period,
            period_starts_on=date(2026, 6, 1),
            period_ends_on=date(2026, 8, 31),
            due_on=date(2026, 9, 14),
            amount=1,
            status="sent",
            sent_by=world.org_a_admin,
            sent_at=datetime(2026, 9, 1, tzinfo=LONDON),
        )
        for period in range(start, start + n)
    )


def test_the_queue_costs_the_same_queries_with_one_report_or_many(world, decision):
    client = client_for(world.officer)
    count = assert_constant_queries(
        lambda n: _more_sent_reports(decision, world, n),
        lambda: client.get(reverse("grants:grant_reports")),
    )
    # Session, user, second factor; the count and the page of reports with their grants.
    assert count == 5


def test_the_queue_is_a_page_at_a_time(world, decision, monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", 3)
    _more_sent_reports(decision, world, 4)  # 4 sent and report 1 overdue: 5
    client = client_for(world.officer)
    first = text(client.get(reverse("grants:grant_reports")))
    assert "5 reports" in first and "Page 1 of 2" in first
    second = text(client.get(reverse("grants:grant_reports") + "?page=2"))
    assert "Page 2 of 2" in second and "Overdue" in second and "Overdue" not in first


def test_an_officer_accepts_a_report_and_pays_its_instalment(world, decision):
    report = send(reports_of(decision)[1], world)
    client = client_for(world.officer)
    url = reverse("grants:grant_report_review", args=[report.pk])
    page = text(client.get(url))
    assert ANSWERS["issues_raised"] in page
    assert "No instalment has been paid yet." in page
    assert "Accept the report and pay the instalment of £3,000.00" in page
    response = client.post(url, {"outcome": "accept"})
    assert response.status_code == 302 and response.url == reverse("grants:grant_reports")
    report.refresh_from_db()
    assert report.status == "accepted" and report.payment.amount == report.amount
    page = text(client.get(url))
    assert f"Instalment 2 of 4 for {decision.award.reference} £3,000.00" in page
    assert "Your decision" not in page
    # Posting again (a second officer's form) pays nothing more, and says why.
    again = client.post(url, {"outcome": "accept"})
    assert again.status_code == 200
    page = again.content.decode()
    assert "govuk-error-summary" in page and "This report has been accepted" in text(again)
    assert "<title>Error: Review report 2" in page  # once: the base template adds it
    assert MonitoringReport.objects.get(pk=report.pk).payment_id == report.payment_id


def test_the_review_asks_for_a_decision_and_what_more_is_needed(world, decision):
    report = send(reports_of(decision)[1], world)
    client = client_for(world.officer)
    url = reverse("grants:grant_report_review", args=[report.pk])
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Select whether to accept the report or ask for more information" in (
        response.content.decode()
    )
    response = client.post(url, {"outcome": "more", "more_needed": "  "})
    assert response.status_code == 200
    assert "Enter what more the representative needs to tell you" in response.content.decode()
    assert MonitoringReport.objects.get(pk=report.pk).status == "sent"
    response = client.post(url, {"outcome": "more", "more_needed": "Which meetings?"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "more_needed" and report.payment_id is None
    # The representative sees what is asked for, and may send again.
    page = text(client_for(world.org_a_admin).get(reverse("grants:grant_report", args=[report.pk])))
    assert "The council has asked for more information Which meetings?" in page
    assert "Send the report" in page


def test_a_refused_payment_shows_the_reason_and_changes_nothing(world, decision):
    from allowances.award_services import release_unpaid

    report = send(reports_of(decision)[1], world)
    release_unpaid(award=decision.award, reason="Withdrawn.", by=world.manager)
    response = client_for(world.officer).post(
        reverse("grants:grant_report_review", args=[report.pk]), {"outcome": "accept"}
    )
    assert response.status_code == 200
    assert "The instalment cannot be paid:" in text(response)
    assert MonitoringReport.objects.get(pk=report.pk).status == "sent"


def test_the_officers_view_of_a_grant_shows_figures_payments_and_history(world, decision):
    first = send(reports_of(decision)[0], world)
    accept_report(report=first, by=world.officer)
    response = client_for(world.manager).get(reverse("grants:grant_monitoring", args=[decision.pk]))
    page = text(response)
    assert f"{decision.application.organisation.name}, representing the" in page
    assert "Committed on the budget £12,000.00" in page
    assert "Paid £3,000.00" in page and "Still to pay £9,000.00" in page
    assert f"Instalment 1 of 4 for {decision.award.reference}" in page
    assert "Monitoring report accepted and its instalment paid by" in page
    assert "Monitoring report sent to the council by" in page
    assert reverse("grants:grant_report_review", args=[first.pk]) in response.content.decode()


def test_the_officer_home_counts_reports_to_review_and_overdue(world, decision):
    send(reports_of(decision)[1], world)
    response = client_for(world.officer).get(reverse("home"))
    page = text(response)
    assert "Grant monitoring reports to review (1)" in page
    assert "Grant monitoring reports overdue (1)" in page
    assert reverse("grants:grant_reports") in response.content.decode()


def test_the_pages_that_only_show_refuse_other_methods(world, decision):
    representative, officer = client_for(world.org_a_admin), client_for(world.officer)
    assert representative.post(reverse("grants:grant", args=[decision.pk])).status_code == 405
    assert officer.post(reverse("grants:grant_reports")).status_code == 405
    url = reverse("grants:grant_monitoring", args=[decision.pk])
    assert officer.post(url).status_code == 405
    assert officer.delete(reverse("grants:grant_report_review", args=[1])).status_code == 405
