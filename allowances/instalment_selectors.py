"""Reading any award's reports and payments (instalment_models, award_models)."""

from datetime import date

from django.db.models import QuerySet

from . import instalment_rules as rules
from .models import LedgerEntry, LedgerKind


def with_states(reports, today: date) -> list:
    """The reports, each with `.state` (instalment_rules.ReportState) as of `today`."""
    reports = list(reports)
    for report in reports:
        report.state = rules.report_state(
            status=report.status,
            starts_on=report.period_starts_on,
            ends_on=report.period_ends_on,
            due_on=report.due_on,
            today=today,
        )
    return reports


def payments_of(award_id: int) -> QuerySet:
    """The instalments paid on an award, oldest first, with who paid them."""
    return (
        LedgerEntry.objects.filter(award_id=award_id, kind=LedgerKind.SPEND)
        .select_related("created_by")
        .order_by("created_at", "pk")
    )


def writing_state(report, today: date) -> dict:
    """Whether the award holder may write the report, and send it, today, with the reasons:
    the flags a report's page shows its form and buttons by."""
    still_to_send = report.status in rules.OPEN_STATUSES
    writable = rules.may_write(starts_on=report.period_starts_on, today=today)
    sendable = rules.may_send(ends_on=report.period_ends_on, today=today)
    return {
        "still_to_send": still_to_send,
        "writable": still_to_send and bool(writable),
        "not_yet": writable.reason if not writable else "",
        "sendable": bool(sendable),
        "send_from": sendable.reason,
    }
