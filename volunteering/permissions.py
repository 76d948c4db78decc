"""Who may see and change opportunities and the broker role. Every volunteering view goes
through these.

An opportunity is its organisation's: any of its members may read and change it (the
services check again), and everyone else, other organisations and brokers included, gets
404 on the organisation's pages. Brokers (a live grant, see selectors.is_broker) check
opportunities on their own pages; anyone without a live grant gets 404 there, as the
page is not theirs. Managers grant and revoke the broker role (other staff 403).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.permissions import get_own_organisation, membership_for, require_manager

from .models import Broker, HourEntry, Interest, Opportunity, Volunteer
from .selectors import is_broker

__all__ = [
    "get_grant_for_manager",
    "get_hour_entry_for",
    "get_interest_for_either",
    "get_interest_for_member",
    "get_interest_for_volunteer",
    "get_opportunity_for_broker",
    "get_opportunity_for_member",
    "is_own_organisations",
    "require_broker",
    "require_broker_or_manager",
    "require_manager",
    "volunteer_for",
]


def get_opportunity_for_member(user, pk):
    """An opportunity of the person's own organisation, and their membership; others 404."""
    organisation, membership = get_own_organisation(user)
    opportunity = get_object_or_404(
        Opportunity.objects.select_related("theme"), pk=pk, organisation=organisation
    )
    return opportunity, membership


def require_broker(user) -> None:
    """People with a live broker grant pass; everyone else gets 404 (the page is not theirs)."""
    if not is_broker(user):
        raise Http404


def require_broker_or_manager(user) -> None:
    """The volunteering reports' readers: live brokers and managers pass; other council staff
    403 (they know the page exists); everyone else 404."""
    if user.is_authenticated and (user.is_manager or is_broker(user)):
        return
    if user.is_authenticated and user.is_officer:
        raise PermissionDenied("Only managers and brokers can see this page.")
    raise Http404


def get_opportunity_for_broker(user, pk) -> Opportunity:
    """Any organisation's opportunity once sent to be checked, for live brokers; one
    never sent is the organisation's alone (404), as is anything for anyone else."""
    require_broker(user)
    return get_object_or_404(
        Opportunity.objects.select_related("organisation", "theme", "checked_by").filter(
            submitted_at__isnull=False
        ),
        pk=pk,
    )


def is_own_organisations(user, opportunity) -> bool:
    """Whether the person belongs to the opportunity's organisation: a broker who does may
    read it but not check it (services._require_broker refuses; another broker must)."""
    membership = membership_for(user)
    return membership is not None and membership.organisation_id == opportunity.organisation_id


def get_grant_for_manager(user, pk) -> Broker:
    """A live broker grant, for managers to revoke (other staff 403, everyone else 404)."""
    require_manager(user)
    return get_object_or_404(Broker.objects.live().select_related("user", "provider"), pk=pk)


# --------------------------------------------------------------- volunteers


def volunteer_for(user):
    """The signed-in person's volunteer profile, or None (one query, or none when signed out)."""
    if not user.is_authenticated:
        return None
    return Volunteer.objects.filter(user=user).first()


def _interests():
    return Interest.objects.select_related(
        "opportunity__organisation", "opportunity__theme", "volunteer__user", "placement"
    )


def get_interest_for_volunteer(user, pk):
    """The volunteer's own interest; anyone else's, or anyone who is not a volunteer, 404.
    A volunteer never sees another volunteer."""
    volunteer = volunteer_for(user)
    if volunteer is None:
        raise Http404
    return get_object_or_404(_interests(), pk=pk, volunteer=volunteer), volunteer


def get_interest_for_member(user, pk):
    """An interest in the person's own organisation's opportunity, with the volunteer's
    contact details: only once the volunteer has said they are interested (that is what an
    interest is). Other organisations, and everyone else, 404."""
    organisation, membership = get_own_organisation(user)
    interest = get_object_or_404(_interests(), pk=pk, opportunity__organisation=organisation)
    return interest, membership


def get_hour_entry_for(user, pk):
    """An hour entry, for the volunteer of its placement or a member of its organisation
    (with which side they are on); everyone else 404."""
    entry = get_object_or_404(
        HourEntry.objects.select_related(
            "placement__interest__opportunity__organisation", "placement__interest__volunteer"
        ),
        pk=pk,
    )
    interest = entry.placement.interest
    volunteer = volunteer_for(user)
    if volunteer is not None and interest.volunteer_id == volunteer.pk:
        return entry, "volunteer"
    membership = membership_for(user)
    if (
        membership is not None
        and membership.organisation_id == interest.opportunity.organisation_id
    ):
        return entry, "organisation"
    raise Http404


def get_interest_for_either(user, pk):
    """An interest, for its volunteer or a member of its organisation, with which side they
    are on ("volunteer" or "organisation"); everyone else 404."""
    interest = get_object_or_404(_interests(), pk=pk)
    volunteer = volunteer_for(user)
    if volunteer is not None and interest.volunteer_id == volunteer.pk:
        return interest, "volunteer"
    membership = membership_for(user)
    if membership is not None and (
        membership.organisation_id == interest.opportunity.organisation_id
    ):
        return interest, "organisation"
    raise Http404
