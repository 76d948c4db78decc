"""Reading a representation grant's monitoring: the reports, the payments, the queues.

Every function costs a fixed number of queries, whatever the number of reports.
`published_reports` is what the public page of a representative reads: only
reports the council has accepted, never a draft or one waiting for review.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Min, Q, QuerySet, Value, When

from allowances.award_services import award_figures
from allowances.instalment_selectors import payments_of as award_payments
from allowances.instalment_selectors import with_states  # noqa: F401 (views read it here)

from . import monitoring_rules as monitoring
from .accountability_models import MonitoringReport, ReportStatus

_DECISION = (
    "decision__award",
    "decision__application__organisation",
    "decision__round_community__round",
    "decision__round_community__community",
)


def reports_of(decision, today: date) -> list[MonitoringReport]:
    """The grant's reports by period, each with its state. One query."""
    return with_states(
        MonitoringReport.objects.filter(decision=decision).select_related("payment"),
        today,
    )


def published_reports(decision) -> QuerySet:
    """The reports the public may read: accepted ones, by period. One query."""
    return MonitoringReport.objects.filter(
        decision=decision, status=ReportStatus.ACCEPTED
    ).order_by("period")


@dataclass(frozen=True)
class GrantMoney:
    total: Decimal
    paid: Decimal  # the instalments of accepted reports
    to_pay: Decimal
    count: int
    paid_count: int


def grant_money(decision, reports: list[MonitoringReport]) -> GrantMoney:
    """What the representative has been paid, from its reports (no query)."""
    paid = [r for r in reports if r.status == ReportStatus.ACCEPTED]
    total = decision.amount
    paid_sum = sum((r.amount for r in paid), Decimal("0.00"))
    return GrantMoney(
        total=total,
        paid=paid_sum,
        to_pay=total - paid_sum,
        count=len(reports),
        paid_count=len(paid),
    )


def payments_of(decision) -> QuerySet:
    """The instalments paid on the grant's award, oldest first, with who paid them."""
    return award_payments(decision.award_id)


def figures_of(decision) -> dict:
    """The award's figures on the ledger (allowances.award_services.award_figures). One query."""
    return award_figures(decision.award)


# --------------------------------------------------------------- the officers' queue


def _waiting(today: date) -> tuple[Q, Q]:
    sent = Q(status=ReportStatus.SENT)
    overdue = Q(status__in=monitoring.OPEN_STATUSES, due_on__lt=today)
    return sent, overdue


def review_queue(today: date) -> QuerySet:
    """Sent reports waiting for review first (earliest due first), then overdue ones
    (longest overdue first), with their grants: for a page at a time."""
    sent, overdue = _waiting(today)
    return (
        MonitoringReport.objects.filter(sent | overdue)
        .annotate(
            waiting_first=Case(
                When(sent, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .select_related(*_DECISION)
        .order_by("waiting_first", "due_on", "pk")
    )


def officer_counts(today: date) -> dict:
    """For the officer's home: sent reports to review (and the oldest sending), and the
    overdue ones. One query."""
    sent, overdue = _waiting(today)
    return MonitoringReport.objects.aggregate(
        to_review=Count("pk", filter=sent),
        oldest=Min("sent_at", filter=sent),
        overdue=Count("pk", filter=overdue),
    )
