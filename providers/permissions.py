"""Who may see and change a provider."""

from django.http import Http404

from .models import Provider, ProviderMembership


def provider_membership_for(user) -> ProviderMembership | None:
    if not user.is_authenticated:
        return None
    return ProviderMembership.objects.select_related("provider").filter(user=user).first()


def get_own_provider(user) -> Provider:
    """The provider the person acts for; 404 if none."""
    membership = provider_membership_for(user)
    if membership is None:
        raise Http404("You do not act for a provider.")
    return membership.provider
