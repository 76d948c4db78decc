"""The volunteer centre's funding agreement on the volunteering strand: committed in the one
ledger with the same guards, paid an instalment at a time as its reports are accepted."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from allowances.award_services import award_figures
from allowances.models import LedgerEntry, LedgerKind, StrandAward
from audit.models import AuditEvent
from notifications.deadlines import CENTRE_REPORT, deadline
from notifications.models import Notification
from reports.invariants import check_ledger
from volunteering import agreement_services as services
from volunteering.agreement_services import AgreementRefused
from volunteering.models import CentreAgreement, CentreReport

from .agreement_support import ANSWERS, END, START, after, agreed, budget
from .matrix import broker
from .support import broker_for

pytestmark = pytest.mark.django_db


def send(world, report):
    services.send_report(
        report=report, answers=ANSWERS, by=world.provider_user, today=after(report)
    )


def test_making_an_agreement_commits_it_and_schedules_a_report_a_quarter(world):
    agreement = agreed(world)
    award = agreement.award
    assert (award.payee, award.organisation_id, award.amount) == (
        world.provider.name,
        None,
        Decimal("40000.00"),
    )
    assert award.strand.kind == "volunteering" and award.reference == (
        f"VCS-VCA-{world.provider.pk:04d}-20260401"
    )
    entry = LedgerEntry.objects.get(award=award)
    assert (entry.kind, entry.amount, entry.organisation_id) == ("commitment", award.amount, None)
    reports = list(agreement.reports.order_by("period"))
    assert [(r.period_starts_on, r.period_ends_on, r.amount) for r in reports] == [
        (date(2026, 4, 1), date(2026, 6, 30), Decimal("10000.00")),
        (date(2026, 7, 1), date(2026, 9, 30), Decimal("10000.00")),
        (date(2026, 10, 1), date(2026, 12, 31), Decimal("10000.00")),
        (date(2027, 1, 1), date(2027, 3, 31), Decimal("10000.00")),
    ]
    rule = deadline(CENTRE_REPORT)
    assert [r.due_on for r in reports] == [rule.due_on(r.period_ends_on) for r in reports]
    made = AuditEvent.objects.get(action="centre_agreement.made")
    assert made.data["reports"] == 4 and made.data["amount"] == "40000.00"
    assert check_ledger().findings == []


def test_an_agreement_larger_than_the_strand_has_left_is_refused_and_nothing_is_written(world):
    broker(world)
    strand = budget("30000.00")
    with pytest.raises(AgreementRefused) as refused:
        services.make_agreement(
            provider=world.provider,
            amount=Decimal("40000.00"),
            starts_on=START,
            ends_on=END,
            schedule="quarterly",
            by=world.manager,
        )
    assert "£30,000.00 left" in refused.value.reason and "amount" in refused.value.problems
    assert not StrandAward.objects.exists() and not CentreAgreement.objects.exists()
    assert not LedgerEntry.objects.filter(strand=strand).exists()
    assert not CentreReport.objects.exists()


def test_no_budget_for_the_year_it_starts_is_refused(world):
    broker(world)
    with pytest.raises(AgreementRefused, match="no volunteering support budget for 2031/32"):
        services.make_agreement(
            provider=world.provider,
            amount=Decimal("100.00"),
            starts_on=date(2031, 4, 1),
            ends_on=date(2032, 3, 31),
            schedule="single",
            by=world.manager,
        )
    assert not StrandAward.objects.exists()


@pytest.mark.parametrize(
    ("amount", "ends_on", "field", "words"),
    [
        ("0.00", END, "amount", "more than £0"),
        ("450000.01", END, "amount", "no more than £450,000"),
        ("100.00", START, "ends_on", "after the start date"),
        ("100.00", START + timedelta(days=10), "ends_on", "at least a month"),
        ("100.00", date(2031, 4, 1), "ends_on", "no more than 5 years"),
    ],
)
def test_a_bad_amount_or_period_is_refused_by_field(world, amount, ends_on, field, words):
    broker(world)
    budget()
    with pytest.raises(AgreementRefused) as refused:
        services.make_agreement(
            provider=world.provider,
            amount=Decimal(amount),
            starts_on=START,
            ends_on=ends_on,
            schedule="quarterly",
            by=world.manager,
        )
    assert words in refused.value.problems[field]
    assert not StrandAward.objects.exists()


def test_only_a_manager_makes_an_agreement_and_only_once_per_start_date(world):
    broker(world)
    budget()
    common = {
        "provider": world.provider,
        "amount": Decimal("1000.00"),
        "starts_on": START,
        "ends_on": END,
        "schedule": "single",
    }
    with pytest.raises(AgreementRefused, match="Only managers"):
        services.make_agreement(**common, by=world.officer)
    services.make_agreement(**common, by=world.manager)
    with pytest.raises(AgreementRefused, match="already an agreement"):
        services.make_agreement(**common, by=world.manager)
    assert StrandAward.objects.count() == 1 and LedgerEntry.objects.count() == 1


# --------------------------------------------------------------- reports


def test_the_centre_saves_a_draft_then_sends_the_report_with_the_periods_figures(world):
    report = agreed(world).reports.get(period=1)
    centre = world.provider_user
    services.save_report(
        report=report, answers={"work_done": "Half written"}, by=centre, today=START
    )
    report.refresh_from_db()
    assert (report.status, report.work_done) == ("due", "Half written")
    with pytest.raises(AgreementRefused, match="from 30 June 2026"):
        services.send_report(report=report, answers=ANSWERS, by=centre, today=START)
    services.send_report(report=report, answers=ANSWERS, by=centre, today=after(report))
    report.refresh_from_db()
    assert (report.status, report.sent_by, report.outcomes) == (
        "sent",
        centre,
        "Forty people placed.",
    )
    assert report.figures["placements_started"] == 0 and "hours_confirmed" in report.figures
    sent = AuditEvent.objects.get(action="centre_report.sent")
    assert sent.data["answers"]["work_done"] == ANSWERS["work_done"]
    assert sent.data["figures"] == report.figures


def test_sending_without_the_required_answers_names_each_and_changes_nothing(world):
    report = agreed(world).reports.get(period=1)
    with pytest.raises(AgreementRefused) as refused:
        services.send_report(
            report=report,
            answers={"work_done": "Done", "outcomes": "  "},
            by=world.provider_user,
            today=after(report),
        )
    assert set(refused.value.problems) == {"outcomes", "next_period"}
    report.refresh_from_db()
    assert (report.status, report.work_done) == ("due", "")


def test_another_providers_broker_cannot_write_the_centres_report(world):
    report = agreed(world).reports.get(period=1)
    from tests.factories import ProviderFactory

    other = broker_for(ProviderFactory(), world.manager)
    with pytest.raises(AgreementRefused, match="Only the volunteer centre's brokers"):
        services.save_report(report=report, answers=ANSWERS, by=other, today=after(report))


def test_accepting_pays_the_instalment_once_and_tells_the_centre(world):
    agreement = agreed(world)
    report = agreement.reports.get(period=1)
    services.send_report(
        report=report, answers=ANSWERS, by=world.provider_user, today=after(report)
    )
    services.accept_report(report=report, by=world.officer)
    report.refresh_from_db()
    assert report.status == "accepted" and report.payment.kind == LedgerKind.SPEND
    assert report.payment.note == f"Instalment 1 of 4 for {agreement.award.reference}"
    assert award_figures(agreement.award) == {
        "committed": Decimal("40000.00"),
        "released": Decimal("0.00"),
        "spent": Decimal("10000.00"),
        "unpaid": Decimal("30000.00"),
    }
    with pytest.raises(AgreementRefused, match="has been accepted"):
        services.accept_report(report=report, by=world.manager)
    assert LedgerEntry.objects.filter(kind=LedgerKind.SPEND).count() == 1
    email = Notification.objects.get(subject__contains="has been accepted")
    assert email.recipient == world.provider_user.email and "£10,000.00" in email.body_text
    assert check_ledger().findings == []


def test_asking_for_more_sends_it_back_and_the_centre_sends_it_again(world):
    report = agreed(world).reports.get(period=1)
    services.send_report(
        report=report, answers=ANSWERS, by=world.provider_user, today=after(report)
    )
    with pytest.raises(AgreementRefused) as blank:
        services.ask_for_more(report=report, by=world.officer, what="  ")
    assert blank.value.problems == {
        "more_needed": "Enter what more the volunteer centre needs to tell you"
    }
    services.ask_for_more(report=report, by=world.officer, what="How many were under 25?")
    report.refresh_from_db()
    assert (report.status, report.more_needed) == ("more_needed", "How many were under 25?")
    assert Notification.objects.filter(subject__startswith="More information").count() == 1
    services.send_report(
        report=report, answers={**ANSWERS, "outcomes": "Twelve were under 25."},
        by=world.provider_user, today=after(report),
    )  # fmt: skip
    report.refresh_from_db()
    assert (report.status, report.outcomes) == ("sent", "Twelve were under 25.")


def test_only_officers_review(world):
    report = agreed(world).reports.get(period=1)
    services.send_report(
        report=report, answers=ANSWERS, by=world.provider_user, today=after(report)
    )
    with pytest.raises(AgreementRefused, match="Only council officers"):
        services.accept_report(report=report, by=world.provider_user)
    assert not LedgerEntry.objects.filter(kind=LedgerKind.SPEND).exists()


def test_the_daily_job_reminds_before_the_due_date_and_once_when_missed(world):
    report = agreed(world).reports.get(period=1)
    rule = deadline(CENTRE_REPORT)
    before = report.due_on - timedelta(days=1)
    assert services.run_report_deadlines(before).reminded == 1
    assert services.run_report_deadlines(before).reminded == 0  # once
    missed = report.due_on + timedelta(days=1)
    assert services.run_report_deadlines(missed).missed == 1
    assert services.run_report_deadlines(missed + timedelta(days=1)).missed == 0
    keys = list(
        Notification.objects.filter(idempotency_key__startswith="centre-report-")
        .order_by("pk")
        .values_list("idempotency_key", flat=True)
    )
    person = world.provider_user.pk
    assert keys == [
        f"centre-report-reminder:{report.pk}:{person}",
        f"centre-report-missed:{report.pk}:{person}",
    ]
    assert rule.reminder_due(report.due_on, before)


def test_a_sent_report_is_not_reminded(world):
    report = agreed(world).reports.get(period=1)
    services.send_report(
        report=report, answers=ANSWERS, by=world.provider_user, today=after(report)
    )
    assert services.run_report_deadlines(report.due_on + timedelta(days=3)).missed == 0


# --------------------------------------------------------------- ending early


def test_ending_early_withdraws_what_is_due_and_releases_what_was_not_paid(world):
    agreement = agreed(world)
    first = agreement.reports.get(period=1)
    send(world, first)
    services.accept_report(report=first, by=world.officer)
    services.end_agreement(agreement=agreement, reason="The centre has closed.", by=world.manager)
    agreement.refresh_from_db()
    assert agreement.ended_by == world.manager and agreement.end_reason == "The centre has closed."
    statuses = list(agreement.reports.order_by("period").values_list("status", flat=True))
    assert statuses == ["accepted", "withdrawn", "withdrawn", "withdrawn"]
    assert award_figures(agreement.award) == {
        "committed": Decimal("40000.00"),
        "released": Decimal("30000.00"),
        "spent": Decimal("10000.00"),
        "unpaid": Decimal("0.00"),
    }
    ended = AuditEvent.objects.get(action="centre_agreement.ended")
    assert ended.data["released"] == "30000.00" and ended.data["reports_withdrawn"] == 3
    assert Notification.objects.filter(subject__contains="has ended").count() == 1
    assert check_ledger().findings == []
    # Nothing more is reminded, sent or paid.
    second = agreement.reports.get(period=2)
    assert services.run_report_deadlines(second.due_on + timedelta(days=2)).missed == 0
    with pytest.raises(AgreementRefused, match="no longer due"):
        send(world, second)
    with pytest.raises(AgreementRefused, match="was ended on"):
        services.end_agreement(agreement=agreement, reason="Again", by=world.manager)


def test_an_agreement_with_a_report_waiting_for_review_is_not_ended(world):
    agreement = agreed(world)
    send(world, agreement.reports.get(period=1))
    with pytest.raises(AgreementRefused, match="Report 1 was sent and is waiting for review"):
        services.end_agreement(agreement=agreement, reason="Closing", by=world.manager)
    agreement.refresh_from_db()
    assert agreement.ended_at is None
    assert not LedgerEntry.objects.filter(kind=LedgerKind.RELEASE).exists()


def test_only_a_manager_ends_an_agreement_and_says_why(world):
    agreement = agreed(world)
    with pytest.raises(AgreementRefused, match="Only managers"):
        services.end_agreement(agreement=agreement, reason="Closing", by=world.officer)
    with pytest.raises(AgreementRefused) as blank:
        services.end_agreement(agreement=agreement, reason="  ", by=world.manager)
    assert blank.value.problems == {"reason": "Enter why the award is ending early"}
    assert not LedgerEntry.objects.filter(kind=LedgerKind.RELEASE).exists()


def test_the_daily_volunteer_jobs_tell_the_centre_of_missed_reports(world):
    from volunteering.tasks import run_volunteer_jobs

    agreed(world)  # from April 2026: reports 1 and 2 were due by October 2026
    result = run_volunteer_jobs()
    assert result["centre_reports_missed"] >= 2
    assert (
        Notification.objects.filter(subject__contains="is overdue").count()
        == (result["centre_reports_missed"])
    )
    assert run_volunteer_jobs()["centre_reports_missed"] == 0  # once each
