"""Who may see and change a provider and what belongs to it.

One fetch-and-authorise function per object, used by every view. A provider's
people see their own provider's things; council staff see every provider's;
everyone else (other providers, organisations, the public) gets 404.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import (
    InsuranceCertificate,
    PackageApplication,
    PolicyDocument,
    Provider,
    ProviderInvitation,
    ProviderMembership,
)


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


def require_officer(user) -> None:
    """Council staff pass; everyone else gets 404 (they need not know the page exists)."""
    if not (user.is_authenticated and user.is_officer):
        raise Http404


def get_own_application(user, pk) -> PackageApplication:
    """A package application of the person's own provider."""
    provider = get_own_provider(user)
    return get_object_or_404(
        PackageApplication.objects.select_related("package", "provider", "decided_by"),
        pk=pk,
        provider=provider,
    )


def get_application_for_staff(user, pk) -> PackageApplication:
    require_officer(user)
    return get_object_or_404(
        PackageApplication.objects.select_related(
            "provider", "package", "submitted_by", "decided_by"
        ),
        pk=pk,
    )


def get_provider_for_staff(user, pk) -> Provider:
    require_officer(user)
    return get_object_or_404(Provider.objects.select_related("register_submitted_by"), pk=pk)


def _file_for_user(model, user, pk):
    """A provider's file for its own people and council staff; everyone else 404."""
    if not user.is_authenticated:
        raise Http404
    queryset = model.objects.select_related("provider")
    if not user.is_officer:
        queryset = queryset.filter(provider__memberships__user=user)
    return get_object_or_404(queryset, pk=pk)


def get_certificate_for_user(user, pk) -> InsuranceCertificate:
    return _file_for_user(InsuranceCertificate, user, pk)


def get_policy_for_user(user, pk) -> PolicyDocument:
    return _file_for_user(PolicyDocument, user, pk)


def get_own_invitation(user, pk) -> ProviderInvitation:
    """An invitation of the person's own provider."""
    provider = get_own_provider(user)
    return get_object_or_404(ProviderInvitation, pk=pk, provider=provider)
