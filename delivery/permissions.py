"""Who may see and act on an agreed package's delivery: fetch-and-authorise functions.

One function per object, used by every view. Outsiders get 404; those who may
look but not change get 403. A provider never sees an organisation that did
not send it a request: the provider's pages fetch only requests whose provider
is the person's own, and everyone else (other providers, organisations, council
staff on the provider's pages, the public) gets 404. The `can_*` functions say
which next step the provider's page offers; the services check the same moves
again under a lock.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from allowances.models import AgreedPackage, AgreedStatus
from organisations.models import Membership
from organisations.permissions import membership_for, require_staff
from providers.models import ProviderMembership

from .models import (
    Claim,
    ClaimInvoice,
    DeliverySession,
    Dispute,
    ProviderRequest,
    Rating,
    RequestStatus,
)

# -------------------------------------------------------------- the organisation and staff


def get_agreed_for_organisation_admin(user, pk) -> AgreedPackage:
    """The organisation's own agreed package, for a change: plain members 403, others 404."""
    membership = membership_for(user)
    if membership is None:
        raise Http404
    agreed = get_object_or_404(
        AgreedPackage.objects.select_related("organisation", "package"),
        pk=pk,
        organisation_id=membership.organisation_id,
    )
    if not membership.is_admin:
        raise PermissionDenied("Only an administrator of the organisation can do this.")
    return agreed


def get_claim_for_officer(user, pk) -> Claim:
    require_staff(user)
    return get_object_or_404(
        Claim.objects.select_related(
            "request__provider",
            "submitted_by",
            "decided_by",
            "agreed_package__organisation",
            "agreed_package__package",
            "invoice",
        ),
        pk=pk,
    )


def get_claim_invoice_for_user(user, pk) -> ClaimInvoice:
    """The invoice attached to claim `pk`, for the people acting for the claiming provider
    and council staff; 404 for everyone else, and for a claim with no invoice."""
    if not user.is_authenticated:
        raise Http404
    invoices = ClaimInvoice.objects.all()
    if not user.is_officer:
        invoices = invoices.filter(claim__request__provider__memberships__user=user)
    return get_object_or_404(invoices, claim_id=pk)


def get_dispute_for_officer(user, pk) -> Dispute:
    require_staff(user)
    return get_object_or_404(
        Dispute.objects.select_related(
            "raised_by",
            "resolved_by",
            "request__provider",
            "request__agreed_package__organisation",
            "request__agreed_package__package",
        ),
        pk=pk,
    )


def get_rating_for_officer(user, pk) -> Rating:
    require_staff(user)
    return get_object_or_404(
        Rating.objects.select_related(
            "request__provider",
            "request__agreed_package__organisation",
            "request__agreed_package__package",
        ),
        pk=pk,
    )


# -------------------------------------------------------------- the provider


def get_request_for_provider(user, pk) -> ProviderRequest:
    """A request sent to the person's own provider, with what its pages show; else 404.

    One query: the provider is reached through the person's membership, so no
    separate look-up of "my provider" is needed.
    """
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        ProviderRequest.objects.select_related(
            "agreed_package__organisation",
            "agreed_package__package",
            "provider",
            "rating",
        ),
        pk=pk,
        provider__memberships__user=user,
    )


def get_claim_for_provider(user, pk) -> Claim:
    """A claim the person's own provider sent, with what its pages show; else 404."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Claim.objects.select_related(
            "request__provider", "agreed_package__organisation", "agreed_package__package"
        ),
        pk=pk,
        request__provider__memberships__user=user,
    )


def get_session_attachment_for_user(user, pk) -> DeliverySession:
    """A session's attachment, for the provider's people, the organisation's members and
    council staff; 404 for everyone else, and for a session with no attachment."""
    if not user.is_authenticated:
        raise Http404
    queryset = DeliverySession.objects.exclude(attachment_stored_name="")
    if not user.is_officer:
        # Exists, not a join: an OR across two joined memberships would repeat rows.
        acts_for_provider = ProviderMembership.objects.filter(
            user=user, provider_id=OuterRef("request__provider_id")
        )
        belongs_to_organisation = Membership.objects.filter(
            user=user, organisation_id=OuterRef("request__agreed_package__organisation_id")
        )
        queryset = queryset.filter(Exists(acts_for_provider) | Exists(belongs_to_organisation))
    return get_object_or_404(queryset, pk=pk)


# -------------------------------------------------------------- what the provider may do next


def can_respond(request: ProviderRequest) -> bool:
    """Accept or decline: only while the request waits for an answer."""
    return (
        request.status == RequestStatus.PENDING
        and request.agreed_package.status == AgreedStatus.PROVIDER_REQUESTED
    )


def can_log_session(request: ProviderRequest) -> bool:
    """From acceptance until the work is marked delivered (again after a dispute sends it back)."""
    return request.status == RequestStatus.ACCEPTED and request.agreed_package.status in (
        AgreedStatus.ACCEPTED,
        AgreedStatus.IN_DELIVERY,
    )


def can_mark_delivered(request: ProviderRequest) -> bool:
    """Once delivery has started, that is, once a session is logged."""
    return (
        request.status == RequestStatus.ACCEPTED
        and request.agreed_package.status == AgreedStatus.IN_DELIVERY
    )


def rating_of(request: ProviderRequest):
    """The request's rating, or None (read from the select_related row)."""
    try:
        return request.rating
    except ProviderRequest.rating.RelatedObjectDoesNotExist:
        return None


def can_reply(request: ProviderRequest) -> bool:
    """A rating the provider has not replied to yet: it may reply once."""
    rating = rating_of(request)
    return rating is not None and rating.replied_at is None


def can_claim(request: ProviderRequest) -> bool:
    """After the organisation (or an officer) confirmed delivery, with no claim waiting or paid."""
    return (
        request.status == RequestStatus.ACCEPTED
        and request.agreed_package.status == AgreedStatus.CONFIRMED
    )
