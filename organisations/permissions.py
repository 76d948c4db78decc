"""Who may see and change an organisation. Every view goes through these."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Invitation, Membership, Organisation


def membership_for(user) -> Membership | None:
    """The signed-in person's membership, with its organisation, or None."""
    if not user.is_authenticated:
        return None
    try:
        return Membership.objects.select_related("organisation").get(user=user)
    except Membership.DoesNotExist:
        return None


def get_own_organisation(user, *, admin=False) -> tuple[Organisation, Membership]:
    """The organisation the person belongs to: 404 if none, 403 if `admin` and not one."""
    membership = membership_for(user)
    if membership is None:
        raise Http404("You do not belong to an organisation.")
    if admin and not membership.is_admin:
        raise PermissionDenied("Only an administrator of the organisation can do this.")
    return membership.organisation, membership


def require_staff(user) -> None:
    """Council officers and managers pass; everyone else gets 404 (the page is not theirs)."""
    if not (user.is_authenticated and user.is_officer):
        raise Http404


def get_organisation_for_staff(user, pk) -> Organisation:
    """An organisation as council staff see it; everyone else gets 404."""
    require_staff(user)
    return get_object_or_404(Organisation, pk=pk)


def require_manager(user) -> None:
    """Managers pass; other staff get 403 (they know the page exists); others 404."""
    if user.is_authenticated and user.is_manager:
        return
    if user.is_authenticated and user.is_officer:
        raise PermissionDenied("Only managers can see this page.")
    raise Http404


def get_invitation_for_admin(user, pk) -> Invitation:
    """An invitation of the person's own organisation, for its administrators."""
    organisation, _ = get_own_organisation(user, admin=True)
    return get_object_or_404(Invitation, pk=pk, organisation=organisation)


def acts_for_a_provider(user) -> bool:
    """Whether the person acts for a provider.

    Read through the reverse relation that `providers` adds to the user, so this
    lower app never imports the providers app.
    """
    return user.is_authenticated and hasattr(user, "provider_membership")
