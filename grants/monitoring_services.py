"""Monitoring a representation grant: the reports, sending them, the council's review.

Each accepted award has one report per instalment, made when the offer is
accepted (create_reports). The representative's administrators write a report
as a draft and send it from the last day of its period; an officer accepts it,
which pays that period's instalment as spend on the ledger
(allowances.award_services.pay_instalment), or asks for more. Every move is one
service here, made by allowances.instalment_services (the same for every award),
audited, and
the organisation's administrators are emailed through the outbox in the same
transaction.

Locks: the report row first, then (when paying) the strand inside
pay_instalment. Two officers accepting one report at once queue on the
report's lock; the second then finds it accepted and is refused, so an
instalment is never paid twice.

The daily job (grants.tasks.check_grant_deadlines) calls
run_report_deadlines: a reminder before a report's due date, and one more when
it is missed; each at most once per report (the outbox's idempotency keys).
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from allowances import instalment_services as moves
from audit.services import record
from diagnostics.rules import long_date
from notifications.deadlines import GRANT_REPORT, deadline
from notifications.rules import DeadlineRule
from notifications.services import absolute_url, queue_for_each
from organisations.models import Membership

from . import monitoring_rules as monitoring
from .accountability_models import MonitoringReport, ReportStatus

# A refused change: `.reason` is shown; `.problems` maps a form field to its message.
MonitoringError = moves.ReportRefused


# --------------------------------------------------------------- making the reports


def create_reports(decision) -> list[MonitoringReport]:
    """One report per instalment of an accepted award, each due the `grant_report` deadline
    after its period ends. Called in accept_offer's transaction, so both or neither."""
    grant_round = decision.round_community.round
    return moves.schedule_reports(
        MonitoringReport,
        amount=decision.amount,
        starts_on=grant_round.period_starts_on,
        ends_on=grant_round.period_ends_on,
        schedule=grant_round.payment_schedule,
        rule=deadline(GRANT_REPORT),
        decision=decision,
    )


# --------------------------------------------------------------- the representative


def _lock(report_id: int) -> MonitoringReport:
    # of=("self",): only the report's row; the decision's award is a nullable join.
    return (
        MonitoringReport.objects.select_for_update(of=("self",))
        .select_related(
            "decision__award",
            "decision__application__organisation",
            "decision__round_community__community",
        )
        .get(pk=report_id)
    )


def _require_admin(report, by) -> None:
    organisation = report.decision.application.organisation
    if not Membership.objects.is_admin(organisation, by):
        raise MonitoringError("Only an administrator of the organisation can do this.")


def _write_answers(report, answers: dict) -> None:
    for field in monitoring.ANSWER_FIELDS:
        value = answers.get(field)
        if field == "people_reached":
            report.people_reached = value
        else:
            setattr(report, field, (value or "").strip())


@transaction.atomic
def save_report(*, report, answers: dict, by, today: date | None = None) -> MonitoringReport:
    """Keep what the representative has written so far, as a draft; nothing is checked
    but that the period has started and the report is still theirs to send."""
    today = today or timezone.localdate()
    report = _lock(report.pk)
    _require_admin(report, by)
    _write_answers(report, answers)
    moves.save_draft(report, fields=list(monitoring.ANSWER_FIELDS), today=today)
    return report


@transaction.atomic
def send_report(*, report, answers: dict, by, today: date | None = None) -> MonitoringReport:
    """Send the report to the council: every answer given, and the period at its last day."""
    today = today or timezone.localdate()
    report = _lock(report.pk)
    _require_admin(report, by)
    problems = monitoring.sending_problems(answers)
    _write_answers(report, answers)  # kept only if it is sent: a refusal rolls back
    before = moves.mark_sent(
        report, fields=list(monitoring.ANSWER_FIELDS), problems=problems, by=by, today=today
    )
    record(
        actor=by,
        action="grant_report.sent",
        obj=report,
        from_state=before,
        to_state=ReportStatus.SENT,
        # What was sent, word for word: a report sent again after "more needed" replaces
        # the answers on the row, and the audit trail keeps each version the council read.
        data={
            **_facts(report),
            "answers": {f: getattr(report, f) for f in monitoring.ANSWER_FIELDS},
        },
    )
    return report


# --------------------------------------------------------------- the council's review


def _require_officer(by) -> None:
    if not by.is_officer:
        raise MonitoringError("Only council officers can review monitoring reports.")


def _facts(report) -> dict:
    decision = report.decision
    return {
        "organisation": decision.application.organisation.name,
        "community": decision.round_community.community.name,
        "period": report.period,
        "amount": str(report.amount),
    }


@transaction.atomic
def accept_report(*, report, by) -> MonitoringReport:
    """Accept a sent report and pay its instalment as spend on the ledger, once.

    The report's row lock makes a second officer wait, then find it accepted. If
    the ledger refuses the payment (AwardRefused), nothing changes and the reason
    is given.
    """
    _require_officer(by)
    report = _lock(report.pk)
    decision = report.decision
    entry, note = moves.accept_and_pay(
        report,
        award=decision.award,
        periods=MonitoringReport.objects.filter(decision=decision).count(),
        by=by,
    )
    record(
        actor=by,
        action="grant_report.accepted",
        obj=report,
        from_state=monitoring.SENT,
        to_state=ReportStatus.ACCEPTED,
        reason=note,
        data={**_facts(report), "ledger_entry": entry.pk},
    )
    _email_admins(report, "grant_report_accepted", {"note": note})
    return report


@transaction.atomic
def ask_for_more(*, report, by, what: str) -> MonitoringReport:
    """Send a report back to the representative, saying what more the council needs."""
    _require_officer(by)
    what = moves.what_more(what, who="the representative")
    report = _lock(report.pk)
    moves.send_back(report, what=what, by=by)
    record(
        actor=by,
        action="grant_report.more_needed",
        obj=report,
        from_state=monitoring.SENT,
        to_state=ReportStatus.MORE_NEEDED,
        reason=what,
        data=_facts(report),
    )
    _email_admins(report, "grant_report_more_needed", {})
    return report


def _email_admins(report, template: str, context: dict, key: str | None = None) -> int:
    decision = report.decision
    organisation = decision.application.organisation
    return queue_for_each(
        Membership.objects.admin_users(organisation),
        template=template,
        context={
            "organisation": organisation,
            "grant_report": report,
            "community": decision.round_community.community.name,
            "due_on": long_date(report.due_on),
            "period_starts": long_date(report.period_starts_on),
            "period_ends": long_date(report.period_ends_on),
            "link": absolute_url(reverse("grants:grant_report", args=[report.pk])),
            **context,
        },
        kind="grants:report",
        key=key,
    )


# --------------------------------------------------------------- reminders


@dataclass(frozen=True)
class ReminderRun:
    reminded: int = 0  # reports whose representative was reminded before the due date
    missed: int = 0  # reports whose representative was told the due date was missed


def reports_to_remind(rule: DeadlineRule, today: date) -> list[int]:
    """Ids of the reports that may need a reminder today, oldest due first.

    `reminded_on` keeps the job small: a report reminded before its due date is
    looked at again only once it is missed, and one told it was missed, never.
    """
    return moves.to_remind(MonitoringReport.objects.all(), rule, today)


def remind_about_report(report_id: int, rule: DeadlineRule, today: date) -> str:
    """Email the organisation's administrators the reminder this report needs today, if any.

    Returns the kind (REMINDER, MISSED) or "". Each kind goes once per report and
    person, however often or on however many workers the job runs.
    """
    with transaction.atomic():
        report = _lock(report_id)
        kind = monitoring.reminder_kind(
            status=report.status, due_on=report.due_on, today=today, rule=rule
        )
        if not kind:
            return ""
        _email_admins(
            report,
            f"grant_report_{kind}",
            {"days_left": (report.due_on - today).days},
            key=f"grant-report-{kind}:{report.pk}",
        )
        MonitoringReport.objects.filter(pk=report.pk).update(reminded_on=today)
    return kind


def run_report_deadlines(today: date) -> ReminderRun:
    """Remind every report due soon, and tell those missed; each report in its own transaction."""
    rule = deadline(GRANT_REPORT)
    kinds = [remind_about_report(pk, rule, today) for pk in reports_to_remind(rule, today)]
    return ReminderRun(
        reminded=kinds.count(monitoring.REMINDER), missed=kinds.count(monitoring.MISSED)
    )
