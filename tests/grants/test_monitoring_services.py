"""Monitoring reports through the services: made when the offer is accepted, written and sent
by the representative, accepted (paying the instalment on the ledger) or sent back by an
officer; every move audited and emailed; only accepted reports are published."""

from datetime import timedelta
from decimal import Decimal

import pytest

from allowances.award_services import award_figures, release_unpaid
from allowances.models import LedgerEntry
from audit.models import AuditEvent
from grants.monitoring_selectors import published_reports
from grants.monitoring_services import (
    MonitoringError,
    accept_report,
    ask_for_more,
    save_report,
    send_report,
)
from grants.rules import instalments
from notifications.deadlines import deadline
from notifications.models import Notification

from .monitoring import ANSWERS, awarded, reports_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(world):
    return awarded(world)


def sent(report, world, **answers):
    """Report sent on the last day of its period."""
    return send_report(
        report=report,
        answers={**ANSWERS, **answers},
        by=world.org_a_admin,
        today=report.period_ends_on,
    )


def test_accepting_the_offer_makes_one_report_per_instalment(decision):
    grant_round = decision.round_community.round
    due = instalments(
        decision.amount,
        start=grant_round.period_starts_on,
        end=grant_round.period_ends_on,
        schedule=grant_round.payment_schedule,
    )
    reports = reports_of(decision)
    assert len(reports) == len(due) == 4
    assert [r.amount for r in reports] == [i.amount for i in due]
    assert sum(r.amount for r in reports) == decision.amount
    assert [r.period_starts_on for r in reports] == [i.due_on for i in due]
    assert reports[0].period_ends_on == due[1].due_on - timedelta(days=1)
    assert reports[-1].period_ends_on == grant_round.period_ends_on
    rule = deadline("grant_report")
    assert [r.due_on for r in reports] == [rule.due_on(r.period_ends_on) for r in reports]
    assert all(r.status == "due" for r in reports)


def test_a_draft_keeps_what_was_typed_even_if_incomplete(world, decision):
    report = reports_of(decision)[0]
    save_report(
        report=report,
        answers={"engagement_activities": "  Half written.  ", "people_reached": None},
        by=world.org_a_admin,
        today=report.period_starts_on,
    )
    report.refresh_from_db()
    assert (report.status, report.engagement_activities, report.people_reached) == (
        "due",
        "Half written.",
        None,
    )
    with pytest.raises(MonitoringError, match="period starts on"):
        save_report(
            report=report,
            answers=ANSWERS,
            by=world.org_a_admin,
            today=report.period_starts_on - timedelta(days=1),
        )


def test_a_report_cannot_be_sent_before_the_last_day_of_its_period(world, decision):
    report = reports_of(decision)[0]
    with pytest.raises(MonitoringError) as refused:
        send_report(
            report=report,
            answers=ANSWERS,
            by=world.org_a_admin,
            today=report.period_ends_on - timedelta(days=1),
        )
    assert "the last day of its period" in refused.value.reason
    report.refresh_from_db()
    assert report.status == "due" and report.engagement_activities == ""


def test_sending_needs_every_answer_and_changes_nothing_without_them(world, decision):
    report = reports_of(decision)[0]
    with pytest.raises(MonitoringError) as refused:
        sent(report, world, issues_raised="", people_reached=None)
    assert refused.value.problems == {
        "issues_raised": "Describe the issues you took to the council",
        "people_reached": "Enter the number of people reached",
    }
    report.refresh_from_db()
    assert report.status == "due" and report.sent_at is None
    assert not AuditEvent.objects.filter(action="grant_report.sent").exists()


def test_only_the_organisations_administrators_write_and_send(world, decision):
    report = reports_of(decision)[0]
    for person in (world.org_a_member, world.org_b_admin, world.officer):
        with pytest.raises(MonitoringError, match="Only an administrator"):
            send_report(report=report, answers=ANSWERS, by=person, today=report.period_ends_on)
        with pytest.raises(MonitoringError, match="Only an administrator"):
            save_report(report=report, answers=ANSWERS, by=person, today=report.period_ends_on)
    report.refresh_from_db()
    assert report.status == "due" and report.engagement_activities == ""


def test_sending_records_who_and_when_and_is_audited(world, decision):
    report = sent(reports_of(decision)[0], world)
    report.refresh_from_db()
    assert report.status == "sent" and report.sent_by == world.org_a_admin
    assert report.people_reached == 120
    event = AuditEvent.objects.get(action="grant_report.sent")
    assert (event.from_state, event.to_state, event.object_id) == ("due", "sent", str(report.pk))
    with pytest.raises(MonitoringError, match="has been sent and is waiting"):
        sent(report, world)
    with pytest.raises(MonitoringError, match="can no longer be changed"):
        save_report(
            report=report, answers=ANSWERS, by=world.org_a_admin, today=report.period_ends_on
        )


def test_accepting_pays_the_instalment_as_spend_once(world, decision):
    first = sent(reports_of(decision)[0], world)
    before = award_figures(decision.award)
    accept_report(report=first, by=world.officer)
    first.refresh_from_db()
    assert first.status == "accepted" and first.reviewed_by == world.officer
    entry = first.payment
    assert (entry.kind, entry.amount, entry.award_id) == ("spend", first.amount, decision.award_id)
    assert entry.note == f"Instalment 1 of 4 for {decision.award.reference}"
    after = award_figures(decision.award)
    assert after["spent"] == before["spent"] + first.amount
    assert after["unpaid"] == before["unpaid"] - first.amount
    event = AuditEvent.objects.get(action="grant_report.accepted")
    assert event.reason == entry.note and event.data["ledger_entry"] == entry.pk
    assert Notification.objects.filter(
        recipient=world.org_a_admin.email,
        subject="Your monitoring report for period 1 has been accepted",
    ).exists()
    # A second acceptance is refused and pays nothing.
    with pytest.raises(MonitoringError, match="has been accepted and its instalment paid"):
        accept_report(report=first, by=world.manager)
    assert LedgerEntry.objects.filter(award=decision.award, kind="spend").count() == 1


def test_only_a_sent_report_is_reviewed_and_only_by_staff(world, decision):
    report = reports_of(decision)[0]
    with pytest.raises(MonitoringError, match="has not been sent"):
        accept_report(report=report, by=world.officer)
    with pytest.raises(MonitoringError, match="has not been sent"):
        ask_for_more(report=report, by=world.officer, what="More, please.")
    sent(report, world)
    for person in (world.org_a_admin, world.provider_user):
        with pytest.raises(MonitoringError, match="Only council officers"):
            accept_report(report=report, by=person)
    report.refresh_from_db()
    assert report.status == "sent" and report.payment_id is None


def test_when_the_ledger_refuses_nothing_changes_and_the_reason_is_given(world, decision):
    report = sent(reports_of(decision)[0], world)
    # The award's unpaid money was given back to the budget: nothing left to pay.
    release_unpaid(award=decision.award, reason="The grant was withdrawn.", by=world.manager)
    entries = LedgerEntry.objects.count()
    with pytest.raises(MonitoringError) as refused:
        accept_report(report=report, by=world.officer)
    assert refused.value.reason == (
        f"The instalment cannot be paid: {decision.award.reference} has £0.00 left to pay, so "
        f"an instalment of £{report.amount:,.2f} cannot be paid. Nothing was paid."
    )
    report.refresh_from_db()
    assert report.status == "sent" and report.payment_id is None and report.reviewed_at is None
    assert LedgerEntry.objects.count() == entries
    assert not AuditEvent.objects.filter(action="grant_report.accepted").exists()


def test_asking_for_more_needs_what_and_lets_the_representative_send_again(world, decision):
    report = sent(reports_of(decision)[0], world)
    with pytest.raises(MonitoringError) as refused:
        ask_for_more(report=report, by=world.officer, what="   ")
    assert refused.value.problems == {
        "more_needed": "Enter what more the representative needs to tell you"
    }
    ask_for_more(report=report, by=world.officer, what="How many of the 120 were new to you?")
    report.refresh_from_db()
    assert report.status == "more_needed"
    assert report.more_needed == "How many of the 120 were new to you?"
    assert AuditEvent.objects.get(action="grant_report.more_needed").reason == report.more_needed
    assert Notification.objects.filter(
        recipient=world.org_a_admin.email,
        subject="More information is needed in your monitoring report for period 1",
    ).exists()
    # Changed and sent again: back with the council, and nothing paid yet.
    sent(report, world, people_reached=45)
    report.refresh_from_db()
    assert (report.status, report.people_reached, report.payment_id) == ("sent", 45, None)
    # Each version the council read is kept in the audit trail, word for word.
    versions = AuditEvent.objects.filter(action="grant_report.sent").order_by("id")
    assert [e.data["answers"]["people_reached"] for e in versions] == [120, 45]
    assert versions[0].data["answers"]["engagement_activities"] == ANSWERS["engagement_activities"]


def test_the_public_reads_only_accepted_reports_in_period_order(world, decision):
    first, second, third, _ = reports_of(decision)
    for report in (third, first, second):
        sent(report, world)
    accept_report(report=third, by=world.officer)
    accept_report(report=first, by=world.officer)
    ask_for_more(report=second, by=world.officer, what="More, please.")
    assert [r.period for r in published_reports(decision)] == [1, 3]
    assert sum(r.amount for r in published_reports(decision)) == Decimal(2) * first.amount
