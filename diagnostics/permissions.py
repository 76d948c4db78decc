"""Who may see and change applications, evidence and diagnostics.

One fetch-and-authorise function per object, used by every view: people
outside the organisation (and providers) get 404; those who may look but not
change get 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.permissions import get_own_organisation

from .models import Diagnostic, EligibilityApplication, Evidence, Recommendation


def require_officer(user) -> None:
    if not (user.is_authenticated and user.is_officer):
        raise Http404


def own_organisation_for_change(user):
    """The person's organisation, for a change: 404 if none, 403 unless an administrator."""
    return get_own_organisation(user, admin=True)


def get_application_for_staff(user, pk) -> EligibilityApplication:
    require_officer(user)
    return get_object_or_404(
        EligibilityApplication.objects.select_related(
            "organisation", "criteria_version", "submitted_by", "decided_by"
        ),
        pk=pk,
    )


def get_evidence_for_user(user, pk) -> Evidence:
    """Evidence for the organisation's members and council staff; everyone else 404."""
    if not user.is_authenticated:
        raise Http404
    queryset = Evidence.objects.select_related("application__organisation")
    if not user.is_officer:
        queryset = queryset.filter(application__organisation__memberships__user=user)
    return get_object_or_404(queryset, pk=pk)


def get_diagnostic_for_user(user, pk) -> Diagnostic:
    """A diagnostic for the organisation's members and council staff; everyone else 404."""
    return get_object_or_404(
        Diagnostic.objects.visible_to(user).select_related(
            "organisation", "questionnaire", "completed_by", "session_booked_by"
        ),
        pk=pk,
    )


def get_diagnostic_for_staff(user, pk) -> Diagnostic:
    require_officer(user)
    return get_diagnostic_for_user(user, pk)


def get_recommendation_for_staff(user, pk) -> Recommendation:
    require_officer(user)
    return get_object_or_404(
        Recommendation.objects.select_related("diagnostic__organisation", "package"), pk=pk
    )


def require_change(membership) -> None:
    if not membership.is_admin:
        raise PermissionDenied("Only an administrator of the organisation can do this.")
