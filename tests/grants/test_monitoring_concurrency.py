"""Two officers accepting one report at once, on PostgreSQL with real threads and connections.

accept_report locks the report's row before paying: the second officer waits, then finds
it accepted and is refused, so the instalment is paid once. Without the lock both would
read "sent" and both pay (the award has enough unpaid for two instalments, so the
ledger's own guard would not stop it).
"""

import pytest

from allowances.models import LedgerEntry
from audit.models import AuditEvent
from grants.monitoring_services import MonitoringError, accept_report, ask_for_more, send_report

from ..conftest import build_world
from ..factories import StaffFactory
from .monitoring import ANSWERS, awarded, reports_of
from .test_assessment_concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 4


def _accept(report, officer):
    return lambda: accept_report(report=report, by=officer)


def _more(report, officer):
    return lambda: ask_for_more(report=report, by=officer, what="Which meetings?")


def _refused_as_monitoring(results):
    """run_together counts only AssessmentError as refused: sort ours out of the errors."""
    return [
        ("refused", x) if kind == "error" and isinstance(x, MonitoringError) else (kind, x)
        for kind, x in results
    ]


def test_two_officers_reviewing_one_report_at_once_pay_it_once():
    world = build_world()
    second = StaffFactory()
    decision = awarded(world)
    reports = reports_of(decision)
    for turn, report in enumerate(reports[:ROUNDS]):
        send_report(
            report=report, answers=ANSWERS, by=world.org_a_admin, today=report.period_ends_on
        )
        jobs = [
            [_accept(report, world.officer), _accept(report, second)],
            [_accept(report, world.officer), _more(report, second)],
        ][turn % 2]

        results = _refused_as_monitoring(run_together(jobs))

        assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
        refused = next(x for kind, x in results if kind == "refused")
        assert "Nothing was changed." in refused.reason, refused.reason
        report.refresh_from_db()
        assert report.status in ("accepted", "more_needed")
    spends = LedgerEntry.objects.filter(award=decision.award, kind="spend")
    accepted = AuditEvent.objects.filter(action="grant_report.accepted").count()
    # Each accepted report paid exactly once; none paid twice.
    assert spends.count() == accepted >= ROUNDS // 2
    assert sorted(spends.values_list("note", flat=True)) == sorted(
        set(spends.values_list("note", flat=True))
    )
