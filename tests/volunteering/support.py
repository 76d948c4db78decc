"""Opportunities and brokers built through the services, as the volunteering tests need them."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from organisations.models import PriorityTheme
from volunteering.models import Broker
from volunteering.services import approve_opportunity, save_draft, submit_opportunity

from ..factories import ProviderMembershipFactory


def answers(**changes) -> dict:
    """Everything a broker needs to publish an opportunity, with `changes`."""
    fields = {
        "title": "Befriender for older people",
        "description": "Visit an older person once a week for a chat and a cup of tea.",
        "skills_gained": "Listening",
        "theme": PriorityTheme.objects.order_by("pk").first(),
        "venue_postcode": "le1 6zg",
        "schedule": "regular",
        "hours_a_week": Decimal("2.5"),
        "ends_on": timezone.localdate() + timedelta(days=30),
        "places": 3,
        "minimum_age": 18,
        "dbs_needed": True,
    }
    return fields | changes


def broker_for(provider, manager, **user):
    """A person acting for `provider` with a live broker grant (made directly, not audited)."""
    membership = ProviderMembershipFactory(provider=provider, **user)
    Broker.objects.create(user=membership.user, provider=provider, granted_by=manager)
    return membership.user


def drafted(world, **changes):
    return save_draft(organisation=world.org_a, by=world.org_a_member, fields=answers(**changes))


def submitted(world, **changes):
    return submit_opportunity(opportunity=drafted(world, **changes), by=world.org_a_member)


def published(world, broker, **changes):
    return approve_opportunity(opportunity=submitted(world, **changes), by=broker)
