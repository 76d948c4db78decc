"""The volunteer centre's funding agreement: making it, and its quarterly reports.

A manager makes the agreement with a provider on the register: its whole amount
is committed on the volunteering support strand of the year it starts, through
allowances.award_services.commit_award (the strand's lock and below-zero guard,
as packages and section B's grants), paying the provider by name; one report per
instalment is made in the same transaction. The centre's brokers (live broker
grants for that provider) write each report as a draft and send it from the
last day of its period; a council officer accepts it, which pays that
instalment as spend, or asks for more. The moves themselves are every award's
(allowances.instalment_services); here are who may make them, the audit and the
emails.

Locks: the report row first, then (when paying) the strand inside
pay_instalment, so an instalment is never paid twice.
"""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from allowances import instalment_services as moves
from allowances.award_services import AwardRefused, commit_award
from allowances.instalment_models import ReportStatus
from allowances.instalment_rules import MISSED, REMINDER, reminder_kind
from allowances.models import BudgetStrand
from allowances.rules import financial_year_of, fy_label
from audit.services import record
from diagnostics.rules import long_date
from notifications.deadlines import CENTRE_REPORT, deadline
from notifications.services import absolute_url, queue_for_each
from organisations.models import User
from packages.models import Strand

from . import agreement_rules as rules
from .agreement_selectors import period_figures
from .models import Broker, CentreAgreement, CentreReport

# A refused change: `.reason` is shown; `.problems` maps a form field to its message.
AgreementRefused = moves.ReportRefused


# --------------------------------------------------------------- the agreement


def _strand_for(starts_on: date) -> BudgetStrand:
    year = financial_year_of(starts_on)
    strand = BudgetStrand.objects.filter(
        budget_year__start_year=year, kind=Strand.VOLUNTEERING
    ).first()
    if strand is None:
        raise AgreementRefused(
            f"There is no volunteering support budget for {fy_label(year)}, the year this "
            "agreement starts. A manager must set that year's budget first. Nothing was committed.",
            {"starts_on": f"There is no volunteering support budget for {fy_label(year)}"},
        )
    return strand


@transaction.atomic
def make_agreement(
    *, provider, amount, starts_on: date, ends_on: date, schedule: str, by
) -> CentreAgreement:
    """Commit the agreement's amount on the volunteering strand and make its reports."""
    if not by.is_manager:
        raise AgreementRefused("Only managers can agree the volunteer centre's funding.")
    problems = rules.agreement_problems(amount=amount, starts_on=starts_on, ends_on=ends_on)
    if problems:
        raise AgreementRefused("Check the agreement's amount and dates", problems)
    strand = _strand_for(starts_on)
    reference = rules.reference(provider_id=provider.pk, starts_on=starts_on)
    if CentreAgreement.objects.filter(award__reference=reference).exists():
        raise AgreementRefused(
            f"There is already an agreement with {provider.name} starting on "
            f"{long_date(starts_on)} ({reference}). Nothing was committed.",
        )
    try:
        with transaction.atomic():
            award = commit_award(
                strand=strand,
                payee=provider.name,
                amount=amount,
                reference=reference,
                title=f"Volunteer centre agreement: {provider.name}",
                starts_on=starts_on,
                ends_on=ends_on,
                by=by,
            )
    except AwardRefused as exc:
        raise AgreementRefused(exc.reason, {"amount": exc.reason}) from None
    except IntegrityError:
        # Another manager made the same agreement a moment ago (the reference is unique).
        raise AgreementRefused(
            f"There is already an agreement with {provider.name} starting on "
            f"{long_date(starts_on)}. Nothing was committed."
        ) from None
    agreement = CentreAgreement.objects.create(
        provider=provider, award=award, schedule=schedule, created_by=by
    )
    reports = moves.schedule_reports(
        CentreReport,
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        schedule=schedule,
        rule=deadline(CENTRE_REPORT),
        agreement=agreement,
    )
    record(
        actor=by,
        action="centre_agreement.made",
        obj=agreement,
        data={
            "provider": provider.name,
            "reference": reference,
            "amount": str(amount),
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "schedule": schedule,
            "reports": len(reports),
        },
    )
    return agreement


@transaction.atomic
def end_agreement(*, agreement, reason: str, by) -> CentreAgreement:
    """End the agreement early: the reports not yet sent are no longer due and what it has
    not paid goes back to the volunteering strand. Refused while a report waits for review,
    and once ended."""
    if not by.is_manager:
        raise AgreementRefused("Only managers can end the volunteer centre's agreement.")
    agreement = (
        CentreAgreement.objects.select_for_update(of=("self",))
        .select_related("provider", "award")
        .get(pk=agreement.pk)
    )
    if agreement.ended_at:
        raise AgreementRefused(
            f"This agreement was ended on {long_date(timezone.localdate(agreement.ended_at))}. "
            "Nothing was changed."
        )
    released, withdrawn = moves.end_award(
        agreement.reports.all(), award=agreement.award, reason=reason, by=by
    )
    agreement.ended_at, agreement.ended_by = timezone.now(), by
    agreement.end_reason = reason.strip()
    agreement.save(update_fields=["ended_at", "ended_by", "end_reason"])
    record(
        actor=by,
        action="centre_agreement.ended",
        obj=agreement,
        reason=agreement.end_reason,
        data={
            "provider": agreement.provider.name,
            "reference": agreement.award.reference,
            "released": str(released),
            "reports_withdrawn": withdrawn,
        },
    )
    queue_for_each(
        _centre_brokers(agreement.provider),
        template="centre_agreement_ended",
        context={
            "provider": agreement.provider.name,
            "reference": agreement.award.reference,
            "reason": agreement.end_reason,
            "link": absolute_url(reverse("volunteering:centre_reports")),
        },
        kind="volunteering:centre_agreement",
    )
    return agreement


# --------------------------------------------------------------- the centre's reports


def _lock(report_id: int) -> CentreReport:
    return (
        CentreReport.objects.select_for_update(of=("self",))
        .select_related("agreement__provider", "agreement__award")
        .get(pk=report_id)
    )


def _require_centre(report, by) -> None:
    if not Broker.objects.live().filter(user=by, provider_id=report.agreement.provider_id).exists():
        raise AgreementRefused("Only the volunteer centre's brokers can write its reports.")


def _write_answers(report, answers: dict) -> None:
    for field in rules.ANSWER_FIELDS:
        setattr(report, field, (answers.get(field) or "").strip())


def _facts(report) -> dict:
    return {
        "provider": report.agreement.provider.name,
        "reference": report.agreement.award.reference,
        "period": report.period,
        "amount": str(report.amount),
    }


@transaction.atomic
def save_report(*, report, answers: dict, by, today: date | None = None) -> CentreReport:
    """Keep what the centre has written so far, as a draft."""
    today = today or timezone.localdate()
    report = _lock(report.pk)
    _require_centre(report, by)
    _write_answers(report, answers)
    moves.save_draft(report, fields=list(rules.ANSWER_FIELDS), today=today)
    return report


@transaction.atomic
def send_report(*, report, answers: dict, by, today: date | None = None) -> CentreReport:
    """Send the report to the council, with the service's figures for its period as they
    stand now: every required answer given, and the period at its last day."""
    today = today or timezone.localdate()
    report = _lock(report.pk)
    _require_centre(report, by)
    problems = rules.sending_problems(answers)
    _write_answers(report, answers)  # kept only if it is sent: a refusal rolls back
    report.figures = period_figures(report.period_starts_on, report.period_ends_on)
    before = moves.mark_sent(
        report, fields=[*rules.ANSWER_FIELDS, "figures"], problems=problems, by=by, today=today
    )
    record(
        actor=by,
        action="centre_report.sent",
        obj=report,
        from_state=before,
        to_state=ReportStatus.SENT,
        # What was sent, word for word: a report sent again replaces the row's answers.
        data={
            **_facts(report),
            "answers": {f: getattr(report, f) for f in rules.ANSWER_FIELDS},
            "figures": report.figures,
        },
    )
    return report


def _require_officer(by) -> None:
    if not by.is_officer:
        raise AgreementRefused("Only council officers can review the volunteer centre's reports.")


@transaction.atomic
def accept_report(*, report, by) -> CentreReport:
    """Accept a sent report and pay its instalment as spend on the ledger, once."""
    _require_officer(by)
    report = _lock(report.pk)
    agreement = report.agreement
    entry, note = moves.accept_and_pay(
        report,
        award=agreement.award,
        periods=CentreReport.objects.filter(agreement=agreement).count(),
        by=by,
    )
    record(
        actor=by,
        action="centre_report.accepted",
        obj=report,
        from_state=ReportStatus.SENT,
        to_state=ReportStatus.ACCEPTED,
        reason=note,
        data={**_facts(report), "ledger_entry": entry.pk},
    )
    _email_centre(report, "centre_report_accepted", {"note": note})
    return report


@transaction.atomic
def ask_for_more(*, report, by, what: str) -> CentreReport:
    """Send a report back to the centre, saying what more the council needs."""
    _require_officer(by)
    what = moves.what_more(what, who="the volunteer centre")
    report = _lock(report.pk)
    moves.send_back(report, what=what, by=by)
    record(
        actor=by,
        action="centre_report.more_needed",
        obj=report,
        from_state=ReportStatus.SENT,
        to_state=ReportStatus.MORE_NEEDED,
        reason=what,
        data=_facts(report),
    )
    _email_centre(report, "centre_report_more_needed", {})
    return report


def _centre_brokers(provider):
    """The people with a live broker grant for the provider: the centre's staff."""
    return User.objects.filter(
        broker_grants__provider=provider, broker_grants__revoked_at__isnull=True, is_active=True
    )


def _email_centre(report, template: str, context: dict, key: str | None = None) -> int:
    provider = report.agreement.provider
    return queue_for_each(
        _centre_brokers(provider),
        template=template,
        context={
            "provider": provider.name,
            "centre_report": report,
            "reference": report.agreement.award.reference,
            "due_on": long_date(report.due_on),
            "period_starts": long_date(report.period_starts_on),
            "period_ends": long_date(report.period_ends_on),
            "link": absolute_url(reverse("volunteering:centre_report", args=[report.pk])),
            **context,
        },
        kind="volunteering:centre_report",
        key=key,
    )


# --------------------------------------------------------------- reminders


@dataclass(frozen=True)
class ReminderRun:
    reminded: int = 0  # reports whose centre was reminded before the due date
    missed: int = 0  # reports whose centre was told the due date was missed


def remind_about_report(report_id: int, rule, today: date) -> str:
    """Email the centre's brokers the reminder this report needs today, if any: REMINDER,
    MISSED or "". Each kind goes once per report and person (the outbox's keys)."""
    with transaction.atomic():
        report = _lock(report_id)
        kind = reminder_kind(status=report.status, due_on=report.due_on, today=today, rule=rule)
        if not kind:
            return ""
        _email_centre(
            report,
            f"centre_report_{kind}",
            {"days_left": (report.due_on - today).days},
            key=f"centre-report-{kind}:{report.pk}",
        )
        CentreReport.objects.filter(pk=report.pk).update(reminded_on=today)
    return kind


def run_report_deadlines(today: date) -> ReminderRun:
    """Remind every report due soon, and tell those missed; each in its own transaction."""
    rule = deadline(CENTRE_REPORT)
    ids = moves.to_remind(CentreReport.objects.all(), rule, today)
    kinds = [remind_about_report(pk, rule, today) for pk in ids]
    return ReminderRun(reminded=kinds.count(REMINDER), missed=kinds.count(MISSED))
