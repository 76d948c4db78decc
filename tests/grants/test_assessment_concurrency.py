"""Deciding under concurrency, on PostgreSQL with real threads and connections.

Two managers deciding one community at once (a barrier releases both): deciding
locks the round's community first, so the second waits, then sees the first's
decision and is refused; the partial unique constraint (one live decision per
community) would catch a path that forgot. Exactly one decision, every time.
"""

import pytest

from audit.models import AuditEvent
from grants.assessment_services import AssessmentError, make_no_award, offer_award
from grants.models import CommunityDecision

from .. import threads
from ..conftest import build_world
from ..factories import ManagerFactory
from .assessing import ready_to_decide

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 6


def run_together(jobs, timeout=30):
    """Each job in its own thread and connection, released at once (tests/threads.py)."""
    return threads.run_together(jobs, refusals=AssessmentError, timeout=timeout)


def _offer(community, application, manager):
    return lambda: offer_award(
        round_community=community, application=application, reasons="The best.", by=manager
    )


def _no_award(community, manager):
    return lambda: make_no_award(round_community=community, reasons="None.", by=manager)


def test_two_managers_deciding_one_community_at_once_make_one_decision():
    world = build_world()
    second = ManagerFactory()
    for turn in range(ROUNDS):
        grant_round, (application,) = ready_to_decide(world)
        community = grant_round.round_communities.order_by("pk").first()
        jobs = [
            [_offer(community, application, world.manager), _no_award(community, second)],
            [_no_award(community, world.manager), _no_award(community, second)],
            [_offer(community, application, world.manager), _offer(community, application, second)],
        ][turn % 3]

        results = run_together(jobs)

        assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
        refused = next(x for kind, x in results if kind == "refused")
        assert "has already been made" in refused.reason, refused.reason
        assert "Nothing was changed." in refused.reason
        winner = next(x for kind, x in results if kind == "ok")
        decisions = CommunityDecision.objects.filter(round_community=community)
        assert list(decisions.values_list("pk", flat=True)) == [winner.pk]
    # One audited decision per community, never two.
    assert (
        AuditEvent.objects.filter(action__in=["grant_round.award_offered", "grant_round.no_award"])
        .values("reason")
        .count()
        == ROUNDS
    )
