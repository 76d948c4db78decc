"""Concerns under concurrency, on PostgreSQL with real threads and connections.

Two officers deciding one concern at once: the concern's row lock makes the second wait,
then find it closed. Concerns sent at once from one address: raising takes one lock, so
they cannot all slip under the limit together.
"""

import pytest

from grants.concern_services import ConcernError, decide_concern
from grants.models import Concern
from notifications.models import Notification

from .. import threads
from ..conftest import build_world
from ..factories import StaffFactory
from .concern_support import REASONS, awarded, raised, responded

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(jobs):
    return threads.run_together(jobs, refusals=ConcernError, said=lambda exc: exc.reason)


def test_two_officers_deciding_one_concern_at_once_record_one_outcome():
    world = build_world()
    decision = awarded(world.manager, world.org_a_admin)
    second = StaffFactory()
    for turn in range(4):
        concern = responded(decision, world.org_a_admin, email=f"p{turn}@example.org")
        jobs = [
            lambda by=by, outcome=outcome, concern=concern: decide_concern(
                concern=concern, by=by, outcome=outcome, reasons=REASONS
            )
            for by, outcome in ((world.officer, "advice"), (second, "no_action"))
        ]
        results = run_together(jobs)
        assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
        refused = next(said for kind, said in results if kind == "refused")
        assert refused == "This concern already has an outcome. Nothing was changed."
        winner = next(value for kind, value in results if kind == "ok")
        stored = Concern.objects.get(pk=concern.pk)
        assert (stored.outcome, stored.decided_by_id) == (winner.outcome, winner.decided_by_id)
        assert (
            Notification.objects.filter(
                recipient=f"p{turn}@example.org", subject__startswith="The outcome"
            ).count()
            == 1
        )


def test_concerns_sent_at_once_from_one_address_stop_at_the_limit():
    world = build_world()
    decision = awarded(world.manager, world.org_a_admin)
    raised(decision, email="same@example.org", ip="198.51.100.1")
    jobs = [
        lambda n=n: raised(decision, email="same@example.org", ip=f"198.51.100.{n + 2}")
        for n in range(4)
    ]
    results = run_together(jobs)
    assert all(kind == "ok" for kind, _ in results), results
    # Past the limit nothing is saved (and the page reads the same): (None, "").
    assert sum(value == (None, "") for _, value in results) == 2, results
    assert Concern.objects.filter(email="same@example.org").count() == 3
