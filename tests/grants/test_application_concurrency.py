"""Sending under concurrency, on PostgreSQL with real threads and connections.

Each round releases two jobs together (a barrier). Sending locks the round and
then the application; adding a consortium member locks the application. So two
administrators sending at once send once, and a member named while the lead
sends is either named first (and the send refused: not confirmed) or refused
itself (the application has been sent): never a sent application with a
member who did not confirm.
"""

import pytest

from grants.application_services import ApplicationError, add_member, submit_application
from grants.models import Application, ConsortiumMember
from notifications.models import Notification

from .. import threads
from ..conftest import build_world
from ..factories import MembershipFactory, OrganisationFactory
from .factories import open_round, quick_fill, start

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 10


def run_together(jobs, timeout=30):
    """Each job in its own thread and connection, released at once (tests/threads.py)."""
    return threads.run_together(jobs, refusals=ApplicationError, timeout=timeout)


def _sending(application, admin):
    return lambda: submit_application(
        application=application, by=admin, declaration_name="Asha Patel"
    )


def test_two_administrators_sending_at_once_send_once():
    world = build_world()
    second = MembershipFactory(organisation=world.org_a, role="admin").user
    for _ in range(ROUNDS):
        grant_round = open_round(by=world.manager, communities=1)
        application = quick_fill(start(grant_round, world.org_a_admin), world.org_a_admin)
        results = run_together(
            [_sending(application, world.org_a_admin), _sending(application, second)]
        )
        assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
        refused = next(x for kind, x in results if kind == "refused")
        assert "has been sent to the council" in refused.reason
    # One email to each of the two administrators per application, never two.
    assert Notification.objects.filter(kind="grants:application_submitted").count() == 2 * ROUNDS


def test_a_member_named_while_the_lead_sends_is_never_sent_unconfirmed():
    world = build_world()
    outcomes = set()
    for _ in range(ROUNDS):
        grant_round = open_round(by=world.manager, communities=1)
        application = quick_fill(start(grant_round, world.org_a_admin), world.org_a_admin)
        partner = OrganisationFactory()
        results = run_together(
            [
                lambda a=application, p=partner: add_member(
                    application=a, organisation=p, by=world.org_a_admin
                ),
                _sending(application, world.org_a_admin),
            ]
        )
        assert all(kind != "error" for kind, _ in results), results
        outcomes.add(tuple(kind for kind, _ in results))
    # Whichever went first, the other was refused; and nothing sent carries an
    # organisation that has not confirmed.
    assert outcomes <= {("ok", "refused"), ("refused", "ok")}
    unconfirmed = ConsortiumMember.objects.filter(
        application__status="submitted", status__in=["invited", "declined"]
    )
    assert not unconfirmed.exists()
    assert (
        Application.objects.filter(status="submitted").count() + ConsortiumMember.objects.count()
        == ROUNDS
    )
