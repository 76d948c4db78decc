"""Who may see advice requests and the advice report. Every advice view goes through these.

A request asked for an organisation is that organisation's: any of its members may read
it, everyone else gets 404. A volunteer's request (no organisation) is the asker's alone.
Brokers (a live grant) read and answer every request on their own pages; anyone without a
grant gets 404 there. The report is for brokers and managers: other council staff know it
exists (403), everyone else 404.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.permissions import get_own_organisation

from .models import AdviceRequest
from .permissions import require_broker

__all__ = [
    "get_advice_for_broker",
    "get_advice_for_member",
    "get_advice_for_volunteer",
]


def get_advice_for_member(user, pk):
    """A request of the person's own organisation, and their membership; others 404."""
    organisation, membership = get_own_organisation(user)
    advice = get_object_or_404(
        AdviceRequest.objects.select_related("asked_by", "answered_by"),
        pk=pk,
        organisation=organisation,
    )
    return advice, membership


def get_advice_for_volunteer(user, pk) -> AdviceRequest:
    """A request the person asked for themselves (no organisation named); others 404."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        AdviceRequest.objects.of_volunteer(user).select_related("answered_by"), pk=pk
    )


def get_advice_for_broker(user, pk) -> AdviceRequest:
    """Any request, for live brokers, with who asked and for which organisation."""
    require_broker(user)
    return get_object_or_404(
        AdviceRequest.objects.select_related(
            "organisation", "asked_by", "answered_by", "closed_by"
        ),
        pk=pk,
    )
