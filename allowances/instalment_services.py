"""The moves of an award's monitoring report, for every app that holds agreements.

Each app (grants, volunteering) locks its own report row, checks who is acting,
audits and emails in its own words; the move itself is here, the same for
every award: schedule the reports when the award is committed, save a draft,
send, send back for more, and accept, which pays the period's instalment as
spend on the ledger (award_services.pay_instalment) exactly once. Reports are
InstalmentReport rows (instalment_models); the rules are instalment_rules.

Locks: the caller holds the report's row lock; paying then locks the strand
inside pay_instalment. A second reviewer waits on the report's lock, then
finds it accepted and is refused.
"""

from datetime import date, timedelta

from django.db.models import F, Q
from django.utils import timezone

from notifications.rules import DeadlineRule

from . import instalment_rules as rules
from .award_services import AwardRefused, pay_instalment, release_unpaid
from .instalment_models import ReportStatus

NOTHING_CHANGED = "Nothing was changed."


class ReportRefused(Exception):
    """A refused move: `.reason` is shown; `.problems` maps a form field to its message."""

    def __init__(self, reason: str, problems: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or {}


def schedule_reports(model, *, amount, starts_on, ends_on, schedule: str, rule, **owner):
    """One `model` report per instalment of an award of `amount` over its period, each due
    `rule`'s deadline after its period ends; `owner` names the row they hang off."""
    periods = rules.report_periods(
        rules.instalments(amount, start=starts_on, end=ends_on, schedule=schedule),
        ends_on=ends_on,
    )
    return model.objects.bulk_create(
        model(
            **owner,
            period=period.number,
            period_starts_on=period.starts_on,
            period_ends_on=period.ends_on,
            due_on=rule.due_on(period.ends_on),
            amount=period.amount,
        )
        for period in periods
    )


def check_writable(report, today: date) -> None:
    """Refuse unless the award holder may still write this report today."""
    if report.status not in rules.OPEN_STATUSES:
        refusal = rules.report_move(report.status, rules.SENT)
        raise ReportRefused(f"{refusal.reason} It can no longer be changed.")
    writable = rules.may_write(starts_on=report.period_starts_on, today=today)
    if not writable:
        raise ReportRefused(writable.reason)


def save_draft(report, *, fields: list[str], today: date) -> None:
    """Keep the answers already set on `report` (its `fields`) as a draft."""
    check_writable(report, today)
    report.save(update_fields=[*fields, "updated_at"])


def mark_sent(report, *, fields: list[str], problems: dict, by, today: date) -> str:
    """Send the report, its answers (`fields`) already set on it: from the last day of its
    period, with nothing in `problems`. Returns the status it was sent from."""
    move = rules.report_move(report.status, rules.SENT)
    if not move:
        raise ReportRefused(f"{move.reason} {NOTHING_CHANGED}")
    sendable = rules.may_send(ends_on=report.period_ends_on, today=today)
    if not sendable:
        raise ReportRefused(sendable.reason)
    if problems:
        raise ReportRefused("Answer every question before sending the report", problems)
    before = report.status
    report.status = ReportStatus.SENT
    report.sent_by, report.sent_at = by, timezone.now()
    report.save(update_fields=[*fields, "status", "sent_by", "sent_at", "updated_at"])
    return before


def _check_review(report, to: str) -> None:
    move = rules.report_move(report.status, to)
    if not move:
        raise ReportRefused(f"{move.reason} {NOTHING_CHANGED}")


def accept_and_pay(report, *, award, periods: int, by):
    """Accept a sent report and pay its instalment from `award`: returns (entry, note).

    If the ledger refuses the payment, nothing changes and the reason is given.
    """
    _check_review(report, rules.ACCEPTED)
    note = rules.payment_note(period=report.period, periods=periods, reference=award.reference)
    try:
        entry = pay_instalment(award=award, amount=report.amount, note=note, by=by)
    except AwardRefused as exc:
        raise ReportRefused(f"The instalment cannot be paid: {exc.reason}") from None
    report.status = ReportStatus.ACCEPTED
    report.payment = entry
    report.reviewed_by, report.reviewed_at = by, timezone.now()
    report.save(update_fields=["status", "payment", "reviewed_by", "reviewed_at", "updated_at"])
    return entry, note


def what_more(what: str, *, who: str) -> str:
    """What more the council needs, stripped; refused if blank (`who` must tell it)."""
    what = what.strip()
    if not what:
        message = f"Enter what more {who} needs to tell you"
        raise ReportRefused(message, {"more_needed": message})
    return what


def send_back(report, *, what: str, by) -> None:
    """Send a sent report back, saying (`what_more`) what more the council needs."""
    _check_review(report, rules.MORE_NEEDED)
    report.status = ReportStatus.MORE_NEEDED
    report.more_needed = what
    report.reviewed_by, report.reviewed_at = by, timezone.now()
    report.save(update_fields=["status", "more_needed", "reviewed_by", "reviewed_at", "updated_at"])


def end_award(reports, *, award, reason: str, by) -> tuple:
    """End an award early: every report not yet sent is no longer due, and what the award
    has not paid goes back to its strand. Refused while a report waits for review (decide
    on it first, so that work done is paid for). `reports` is the award's reports (a
    queryset); returns (the amount released, how many reports were withdrawn)."""
    reason = reason.strip()
    if not reason:
        message = "Enter why the award is ending early"
        raise ReportRefused(message, {"reason": message})
    locked = list(reports.select_for_update(of=("self",)).order_by("period"))
    waiting = [r for r in locked if r.status == rules.SENT]
    if waiting:
        raise ReportRefused(
            f"Report {waiting[0].period} was sent and is waiting for review: accept it, or ask "
            f"for more, before ending the award. {NOTHING_CHANGED}"
        )
    open_ids = [r.pk for r in locked if r.status in rules.OPEN_STATUSES]
    reports.model.objects.filter(pk__in=open_ids).update(
        status=ReportStatus.WITHDRAWN, updated_at=timezone.now()
    )
    return release_unpaid(award=award, reason=reason, by=by), len(open_ids)


def to_remind(reports, rule: DeadlineRule, today: date) -> list[int]:
    """Ids of the `reports` (a queryset) that may need a reminder today, oldest due first.

    `reminded_on` keeps the job small: a report reminded before its due date is
    looked at again only once it is missed, and one told it was missed, never.
    """
    soon = today + timedelta(days=rule.longest_reminder_in_days())
    return list(
        reports.filter(status__in=rules.OPEN_STATUSES)
        .filter(
            Q(due_on__lt=today) & (Q(reminded_on__isnull=True) | Q(reminded_on__lte=F("due_on")))
            | Q(due_on__gte=today, due_on__lte=soon, reminded_on__isnull=True)
        )
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )
