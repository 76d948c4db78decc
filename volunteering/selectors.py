"""Reads for section C: who is a broker, and the opportunities each queue shows."""

from datetime import date, timedelta

from .models import Broker, Opportunity, OpportunityStatus


def is_broker(user) -> bool:
    """Whether the person holds a live broker grant: one query (none when signed out)."""
    if not user.is_authenticated:
        return False
    return Broker.objects.live().filter(user=user).exists()


def live_grant(user) -> Broker | None:
    """The person's live broker grant, with its provider, or None."""
    if not user.is_authenticated:
        return None
    return Broker.objects.live().select_related("provider").filter(user=user).first()


def published(today: date):
    """What the public may see: published and not past its closing date, closing soonest first."""
    return (
        Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED, ends_on__gte=today)
        .select_related("organisation", "theme")
        .order_by("ends_on", "id")
    )


def to_check():
    """The brokers' queue: submitted opportunities, the longest waiting first."""
    return (
        Opportunity.objects.filter(status=OpportunityStatus.SUBMITTED)
        .select_related("organisation", "theme")
        .order_by("submitted_at", "id")
    )


def lapsing(today: date, days: int = 7):
    """Published opportunities closing within `days` days (rules.lapses_soon), soonest first."""
    return (
        Opportunity.objects.filter(
            status=OpportunityStatus.PUBLISHED,
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=days),
        )
        .select_related("organisation")
        .order_by("ends_on", "id")
    )


def lapsed(today: date):
    """Published opportunities past their closing date: what the lapsing job closes."""
    return Opportunity.objects.filter(
        status=OpportunityStatus.PUBLISHED, ends_on__lt=today
    ).order_by("ends_on", "id")
