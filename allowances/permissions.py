"""Who may see and change agreed packages and the budget. Every view goes through these."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from organisations.permissions import get_organisation_for_staff, membership_for, require_manager

from .models import TRANSITIONS, AgreedPackage, AgreedStatus

__all__ = [
    "can_agree",
    "can_cancel",
    "can_choose_provider",
    "can_override",
    "get_agreed_package_for_user",
    "get_agreed_package_to_change",
    "get_organisation_for_staff",
    "require_manager",
]


def can_agree(user) -> bool:
    return user.is_authenticated and user.is_officer


def can_override(user) -> bool:
    """Only managers may agree past a cap or the budget."""
    return user.is_authenticated and user.is_manager


def can_cancel(user, agreed: AgreedPackage) -> bool:
    return can_agree(user) and AgreedStatus.CANCELLED in TRANSITIONS[agreed.status]


def can_choose_provider(user, agreed: AgreedPackage) -> bool:
    """Its organisation's administrators choose a provider, while none has been asked."""
    if agreed.status != AgreedStatus.AGREED:
        return False
    membership = membership_for(user)
    return bool(
        membership and membership.is_admin and membership.organisation_id == agreed.organisation_id
    )


def get_agreed_package_for_user(user, pk) -> AgreedPackage:
    """An agreed package as its organisation's members and council staff see it; else 404."""
    queryset = AgreedPackage.objects.visible_to(user).select_related(
        "organisation", "package", "agreed_by", "strand__budget_year"
    )
    try:
        return queryset.get(pk=pk)
    except AgreedPackage.DoesNotExist:
        raise Http404 from None


def get_agreed_package_to_change(user, pk) -> AgreedPackage:
    """Staff may change it; its organisation's members may only look (403); others 404."""
    agreed = get_agreed_package_for_user(user, pk)
    if not can_agree(user):
        raise PermissionDenied("Only council officers can change an agreed package.")
    return agreed
