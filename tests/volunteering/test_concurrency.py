"""Two people deciding one opportunity at once, on PostgreSQL with real threads and connections.

Every move locks the opportunity's row and checks its state under the lock, so
of two brokers publishing and sending back the same opportunity at once, one
goes through and the other finds it already decided (never both, never an
error); and an organisation withdrawing as a broker decides sees the same.
"""

import pytest

from audit.models import AuditEvent
from volunteering.models import Opportunity
from volunteering.services import (
    VolunteeringError,
    approve_opportunity,
    close_opportunity,
    grant_broker,
    send_back_opportunity,
)

from .. import threads
from ..conftest import build_world
from ..factories import ProviderMembershipFactory
from .support import broker_for, published, submitted

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(jobs):
    return threads.run_together(jobs, refusals=VolunteeringError, said=lambda exc: exc.reason)


def test_two_brokers_deciding_one_opportunity_at_once_make_one_decision():
    world = build_world()
    first = broker_for(world.provider, world.manager)
    second = broker_for(world.provider, world.manager)
    for _ in range(3):
        opportunity = submitted(world)
        results = run_together(
            [
                lambda o=opportunity: approve_opportunity(opportunity=o, by=first),
                lambda o=opportunity: send_back_opportunity(
                    opportunity=o, by=second, reason="Say which days."
                ),
            ]
        )
        assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
        opportunity.refresh_from_db()
        decided = AuditEvent.objects.filter(
            object_id=str(opportunity.pk),
            action__in=["opportunity.published", "opportunity.sent_back"],
        )
        assert decided.count() == 1
        assert (
            opportunity.status
            == {
                "opportunity.published": "published",
                "opportunity.sent_back": "changes_requested",
            }[decided.get().action]
        )
        refused = next(said for kind, said in results if kind == "refused")
        assert refused.endswith("Nothing was changed.")


def test_two_brokers_publishing_at_once_publish_once():
    world = build_world()
    brokers = [broker_for(world.provider, world.manager) for _ in range(2)]
    opportunity = submitted(world)
    results = run_together(
        [lambda by=by: approve_opportunity(opportunity=opportunity, by=by) for by in brokers]
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    assert AuditEvent.objects.filter(action="opportunity.published").count() == 1


def test_filled_and_withdrawn_at_once_close_once():
    world = build_world()
    broker = broker_for(world.provider, world.manager)
    opportunity = published(world, broker)
    results = run_together(
        [
            lambda: close_opportunity(opportunity=opportunity, reason="filled", by=broker),
            lambda: close_opportunity(
                opportunity=opportunity, reason="withdrawn", by=world.org_a_admin
            ),
        ]
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    assert Opportunity.objects.get(pk=opportunity.pk).status == "closed"
    assert AuditEvent.objects.filter(action="opportunity.closed").count() == 1


def test_two_managers_granting_one_person_at_once_make_one_grant():
    world = build_world()
    person = ProviderMembershipFactory(provider=world.provider).user
    managers = [world.manager, type(world.manager).objects.get(pk=world.manager.pk)]
    results = run_together(
        [lambda by=by: grant_broker(by=by, user=person, provider=world.provider) for by in managers]
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    assert person.broker_grants.count() == 1
