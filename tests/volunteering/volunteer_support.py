"""Volunteers, interests, placements and hours built through the services, as the tests
of volunteers need them; and a check that a refused call changed nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import Notification
from volunteering.models import (
    EqualityMonitoring,
    HourEntry,
    Interest,
    Placement,
    Volunteer,
)
from volunteering.services import VolunteeringError
from volunteering.volunteer_services import answer_interest, express_interest, save_profile

from ..factories import UserFactory
from .support import published

PROFILE = {"postcode_district": "LE2", "age_band": "25-34", "contact_by": "email"}


def volunteer_of(user=None, *, name="Val Unteer", themes=(), **fields):
    """`user` (a new member of the public by default) signed up as a volunteer."""
    user = user or UserFactory()
    return save_profile(user=user, name=name, fields=PROFILE | fields, themes=list(themes))


def opportunity_of(world, broker, **changes):
    """One of organisation A's opportunities, published."""
    return published(world, broker, **changes)


def interest_of(volunteer, opportunity, message="I can help on Tuesdays."):
    return express_interest(
        volunteer=volunteer, by=volunteer.user, opportunity=opportunity, message=message
    )


def placement_of(world, volunteer, opportunity, *, started_days_ago=0):
    """The volunteer's interest in `opportunity`, accepted by organisation A's administrator."""
    interest = answer_interest(
        interest=interest_of(volunteer, opportunity), by=world.org_a_admin, to="accepted"
    )
    placement = interest.placement
    if started_days_ago:
        placement.started_on = timezone.localdate() - timedelta(days=started_days_ago)
        placement.save(update_fields=["started_on"])
    return placement


def everything() -> dict:
    """Every row the volunteers' services write, and how many audit events and emails."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Volunteer, EqualityMonitoring, Interest, Placement, HourEntry)
    } | {
        "audit events": AuditEvent.objects.count(),
        "emails": Notification.objects.count(),
    }


def unchanged(call, says: str) -> VolunteeringError:
    """Run a call that must be refused, saying `says`: no row changed, no audit event, no
    email."""
    before = everything()
    with pytest.raises(VolunteeringError) as refusal:
        call()
    assert says in refusal.value.reason, refusal.value.reason
    assert everything() == before
    return refusal.value
