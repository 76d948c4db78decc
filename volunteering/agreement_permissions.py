"""Who may see the volunteer centre's agreement and reports.

Council staff (officers and managers) see every agreement and review reports;
only managers make an agreement (other staff 403). The centre's brokers (a live
broker grant for the agreement's provider) see and write its reports; everyone
else, other providers' brokers included, gets 404.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.permissions import require_manager, require_staff

from .models import Broker, CentreAgreement, CentreReport
from .selectors import live_grant

__all__ = [
    "centre_grant",
    "get_agreement_for_staff",
    "get_report_for_centre",
    "get_report_for_staff",
    "require_manager",
    "require_staff",
]


def get_agreement_for_staff(user, pk) -> CentreAgreement:
    require_staff(user)
    return get_object_or_404(
        CentreAgreement.objects.select_related(
            "provider", "award__strand__budget_year", "created_by", "ended_by"
        ),
        pk=pk,
    )


def get_report_for_staff(user, pk) -> CentreReport:
    require_staff(user)
    return get_object_or_404(
        CentreReport.objects.select_related(
            "agreement__provider", "agreement__award", "sent_by", "reviewed_by"
        ),
        pk=pk,
    )


def centre_grant(user) -> Broker:
    """The person's live broker grant (the provider they broker for); 404 without one."""
    grant = live_grant(user)
    if grant is None:
        raise Http404
    return grant


def get_report_for_centre(user, pk) -> CentreReport:
    """A report of an agreement with the provider the person brokers for; others 404."""
    grant = centre_grant(user)
    return get_object_or_404(
        CentreReport.objects.select_related("agreement__provider", "agreement__award"),
        pk=pk,
        agreement__provider_id=grant.provider_id,
    )
