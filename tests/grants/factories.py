"""Section B's factories: communities of interest and rounds, made through the services."""

from datetime import time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from grants import services
from grants.models import CommunityOfInterest, GrantRound
from grants.rules import london_datetime
from packages.models import Strand

from ..factories import BudgetYearFactory, ManagerFactory


class CommunityFactory(factory.django.DjangoModelFactory):
    """A community above the threshold (more than 3,298 people at the 2011 census)."""

    class Meta:
        model = CommunityOfInterest

    characteristic = "religion_or_belief"
    name = factory.Sequence(lambda n: f"Faith community {n}")
    population = 5000
    population_source = "2011 census, table KS209EW"


def cohesion_strand():
    """This financial year's community cohesion strand (£150,000)."""
    return BudgetYearFactory().strands.get(kind=Strand.COMMUNITY_COHESION)


def round_data(**overrides) -> dict:
    """Valid details for a round: opening tomorrow at 9am for four weeks, £60,000 in all."""
    opens_on = timezone.localdate() + timedelta(days=1)
    closes_on = opens_on + timedelta(weeks=4)
    starts = closes_on + timedelta(days=60)
    data = {
        "name": "Representation 2026",
        "summary": "Grants to represent a community of interest.",
        "strand": cohesion_strand(),
        "opens_at": london_datetime(opens_on, time(9)),
        "closes_at": london_datetime(closes_on, time(17)),
        "total": Decimal("60000.00"),
        "amount_per_community": Decimal("12000.00"),
        "period_starts_on": starts,
        "period_ends_on": starts + timedelta(days=364),
        "payment_schedule": "quarterly",
    }
    data.update(overrides)
    return data


def draft_round(*, by=None, communities=0, **overrides) -> GrantRound:
    """A draft from the template, open to `communities` new communities."""
    by = by or ManagerFactory()
    grant_round = services.create_round(by=by, data=round_data(**overrides))
    if communities:
        services.set_round_communities(
            grant_round=grant_round, by=by, communities=CommunityFactory.create_batch(communities)
        )
    return grant_round


def published_round(*, by=None, communities=2, **overrides) -> GrantRound:
    by = by or ManagerFactory()
    grant_round = draft_round(by=by, communities=communities, **overrides)
    return services.publish_round(grant_round=grant_round, by=by)


def open_round(*, by=None, communities=2, **overrides) -> GrantRound:
    """A published round that opened yesterday (published, then its opening moved back)."""
    grant_round = published_round(by=by, communities=communities, **overrides)
    yesterday = timezone.now() - timedelta(days=1)
    GrantRound.objects.filter(pk=grant_round.pk).update(opens_at=yesterday)
    grant_round.refresh_from_db()
    return grant_round
