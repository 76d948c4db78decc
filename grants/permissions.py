"""Who may see and change grant rounds and communities. Every view goes through these.

Managers set rounds up (other staff 403, everyone else 404, as on every
manager page); anyone, signed in or not, may read a round once published.
"""

from django.shortcuts import get_object_or_404

from organisations.permissions import require_manager

from .models import CommunityOfInterest, GrantRound, RoundCriterion

__all__ = [
    "get_community_for_manager",
    "get_criterion_for_manager",
    "get_public_round",
    "get_round_for_manager",
    "require_manager",
]


def get_round_for_manager(user, pk) -> GrantRound:
    require_manager(user)
    return get_object_or_404(GrantRound.objects.select_related("strand__budget_year"), pk=pk)


def get_criterion_for_manager(user, pk) -> RoundCriterion:
    require_manager(user)
    return get_object_or_404(RoundCriterion.objects.select_related("round"), pk=pk)


def get_community_for_manager(user, pk) -> CommunityOfInterest:
    require_manager(user)
    return get_object_or_404(CommunityOfInterest, pk=pk)


def get_public_round(queryset, pk) -> GrantRound:
    """A round as the public see it: published (or withdrawn after publishing); else 404."""
    return get_object_or_404(queryset.public(), pk=pk)
