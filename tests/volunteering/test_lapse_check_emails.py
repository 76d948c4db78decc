"""Brokers are emailed when an organisation sends an opportunity to be checked: every live
broker who may check it (not one revoked, not one who belongs to the organisation), once
per submission, again when it is changed and sent again; a refused submission tells
nobody."""

import pytest

from notifications.models import Notification
from volunteering.services import (
    VolunteeringError,
    revoke_broker,
    send_back_opportunity,
    submit_opportunity,
)

from ..factories import MembershipFactory
from .support import broker_for, drafted, submitted

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def to_check():
    return Notification.objects.filter(kind="volunteering:opportunity_to_check").order_by("pk")


@pytest.fixture
def brokers(world):
    first = broker_for(world.provider, world.manager, user__email="first@example.org")
    second = broker_for(world.provider, world.manager, user__email="second@example.org")
    return first, second


def test_every_live_broker_is_told_one_is_waiting(world, brokers):
    gone = broker_for(world.provider, world.manager, user__email="gone@example.org")
    revoke_broker(by=world.manager, user=gone)
    opportunity = submitted(world)
    assert sorted(to_check().values_list("recipient", flat=True)) == [
        "first@example.org",
        "second@example.org",
    ]
    email = to_check().first()
    assert email.subject == (
        "A volunteering opportunity is waiting for your check: Befriender for older people"
    )
    assert f"{world.org_a.name} has sent its volunteering opportunity" in email.body_text
    assert f"{SITE}/broker/opportunities/{opportunity.pk}/\n" in email.body_text


def test_a_broker_who_belongs_to_the_organisation_is_not_asked_to_check_it(world, brokers):
    first, _second = brokers
    MembershipFactory(organisation=world.org_a, user=first)
    submitted(world)
    assert list(to_check().values_list("recipient", flat=True)) == ["second@example.org"]


def test_sent_again_after_changes_they_are_told_again(world, brokers):
    opportunity = submitted(world)
    send_back_opportunity(opportunity=opportunity, by=brokers[0], reason="Say which days.")
    submit_opportunity(opportunity=opportunity, by=world.org_a_member)
    assert to_check().count() == 4
    again = to_check().last()
    assert (
        'has changed its volunteering opportunity "Befriender for older people" and sent it again'
        in again.body_text
    )


def test_a_refused_submission_tells_nobody(world, brokers):
    incomplete = drafted(world, description="")
    with pytest.raises(VolunteeringError):
        submit_opportunity(opportunity=incomplete, by=world.org_a_member)
    opportunity = submitted(world, title="Sent")
    with pytest.raises(VolunteeringError):  # sent twice (a double click): refused the second time
        submit_opportunity(opportunity=opportunity, by=world.org_a_member)
    assert to_check().count() == 2  # the one sent, to each broker, once
