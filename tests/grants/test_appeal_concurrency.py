"""Appeals under concurrency, on PostgreSQL with real threads and connections.

Two uninvolved managers reviewing one appeal at once: reviewing locks the
appeal's row, so the second waits, then reads the first's outcome and is
refused. Two administrators lodging at once: lodging locks the application,
so there is one appeal (the one-to-one column would catch a path that forgot).
"""

import pytest

from audit.models import AuditEvent
from grants.accountability_models import Appeal
from grants.appeal_services import AppealError, lodge_appeal, review_appeal

from .. import threads
from ..conftest import build_world
from ..factories import ManagerFactory, MembershipFactory
from .appeal_support import GROUNDS, decided

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_managers_reviewing_one_appeal_at_once_record_one_outcome():
    world = build_world()
    state = decided(world)
    appeal = lodge_appeal(application=state.loser, by=state.loser_admin, grounds=GROUNDS)
    first, second = ManagerFactory(), ManagerFactory()
    results = threads.run_together(
        [
            lambda: review_appeal(appeal=appeal, by=first, outcome="upheld", reasons="Upheld."),
            lambda: review_appeal(
                appeal=appeal, by=second, outcome="not_upheld", reasons="It stands."
            ),
        ],
        refusals=AppealError,
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    refused = next(x for kind, x in results if kind == "refused")
    assert "This appeal has already been reviewed by" in refused.reason
    winner = next(x for kind, x in results if kind == "ok")
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.reviewed_by_id) == (winner.outcome, winner.reviewed_by_id)
    assert (
        AuditEvent.objects.filter(
            action__in=["grant_appeal.upheld", "grant_appeal.not_upheld"]
        ).count()
        == 1
    )


def test_two_administrators_lodging_at_once_make_one_appeal():
    world = build_world()
    state = decided(world)
    other_admin = MembershipFactory(organisation=state.loser.organisation, role="admin").user
    results = threads.run_together(
        [
            lambda person=person: lodge_appeal(application=state.loser, by=person, grounds=GROUNDS)
            for person in (state.loser_admin, other_admin)
        ],
        refusals=AppealError,
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    refused = next(x for kind, x in results if kind == "refused")
    assert "already appealed" in refused.reason
    assert Appeal.objects.filter(application=state.loser).count() == 1
    assert AuditEvent.objects.filter(action="grant_appeal.lodged").count() == 1
