"""Reads for the grant pages: each a fixed number of queries, whatever the number of rows."""

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from .models import CommunityOfInterest, GrantRound, RoundCommunity, RoundCriterion


def _count_of(model, **link):
    """A subquery counting `model`'s rows for each round: no join that multiplies rows."""
    rows = (
        model.objects.filter(**{k: OuterRef(v) for k, v in link.items()})
        .order_by()
        .values(*link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def rounds_for_managers():
    """Every round, newest opening first, with its strand and how many communities and criteria."""
    return GrantRound.objects.select_related("strand__budget_year").annotate(
        community_count=_count_of(RoundCommunity, round="pk"),
        criterion_count=_count_of(RoundCriterion, round="pk"),
    )


def round_in_full(queryset):
    """Rounds with their communities, criteria and scale, in one query each."""
    return queryset.prefetch_related(
        Prefetch(
            "round_communities",
            queryset=RoundCommunity.objects.select_related("community"),
            to_attr="open_communities",
        ),
        Prefetch("criteria", to_attr="criteria_list"),
        Prefetch("scale", to_attr="scale_list"),
    )


def open_rounds(now):
    """Published rounds open now, then those opening later, with their communities."""
    return (
        GrantRound.objects.still_to_close(now)
        .order_by("opens_at", "closes_at", "pk")
        .prefetch_related(
            Prefetch(
                "round_communities",
                queryset=RoundCommunity.objects.select_related("community"),
                to_attr="open_communities",
            )
        )
    )


def communities_for_managers():
    """Every community of interest, by characteristic, with how many rounds it was open in."""
    return CommunityOfInterest.objects.annotate(
        round_count=_count_of(RoundCommunity, community="pk")
    ).order_by("characteristic", "name")
