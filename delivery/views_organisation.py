"""The organisation's side: choose a provider, follow delivery, confirm and rate, or dispute.

Each view reads top to bottom: authorise and fetch, validate, change, redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from allowances.models import AgreedStatus
from allowances.permissions import get_agreed_package_for_user
from allowances.services import AllowanceError
from audit.services import history_for
from notifications.deadlines import CHOOSE_PROVIDER, OFFICER_REVIEW, PROVIDER_RESPOND, deadline
from organisations.listing import page_of, path_maker
from organisations.permissions import membership_for
from packages.forms import submitted

from . import confirmations
from .filters import ProviderDirectoryFilter
from .forms import ConfirmForm, DisputeForm, RequestForm
from .models import ProviderRequest, RequestStatus
from .permissions import get_agreed_for_organisation_admin, rating_of
from .rules import rating_in_words
from .selectors import choosable_providers, journey_for, ratings_for
from .services import (
    confirm_delivery,
    dispute_delivery,
    request_provider,
    withdraw_request,
)

# Cards, each a provider's summary: fewer to a page than a table's rows.
DIRECTORY_PAGE_SIZE = 20
CONFIRMATION = "includes/confirmation.html"


def _back_to_package(request, agreed, message: str):
    messages.info(request, message)
    return redirect("delivery:package", pk=agreed.pk)


@login_required
@require_GET
def package(request, pk):
    """Where the package's journey stands, for the organisation's members and council staff."""
    agreed = get_agreed_package_for_user(request.user, pk)
    membership = membership_for(request.user)
    is_admin = bool(
        membership and membership.is_admin and membership.organisation_id == agreed.organisation_id
    )
    is_staff = request.user.is_officer
    return render(
        request,
        "delivery/package.html",
        {
            "agreed": agreed,
            "journey": journey_for(agreed),
            "is_admin": is_admin,
            "is_staff": is_staff,
            "history": history_for(agreed)[:30] if is_staff else [],
        },
    )


@login_required
@require_GET
def choose(request, pk):
    """The providers the organisation may choose for this package, filterable, a page of
    cards at a time."""
    agreed = get_agreed_for_organisation_admin(request.user, pk)
    if agreed.status != AgreedStatus.AGREED:
        return _back_to_package(request, agreed, "A provider has already been chosen.")
    directory = ProviderDirectoryFilter(
        request.GET or None, queryset=choosable_providers(agreed, timezone.localdate())
    )
    declined = (
        ProviderRequest.objects.filter(agreed_package=agreed, status=RequestStatus.DECLINED)
        .select_related("provider")
        .order_by("-responded_at")
    )
    page = page_of(request, directory.qs, per_page=DIRECTORY_PAGE_SIZE)
    profile = path_maker("delivery:provider_profile", agreed.pk)
    rows = [(p, profile(p.pk), rating_in_words(p.rating_average, p.rating_count)) for p in page]
    choose = deadline(CHOOSE_PROVIDER)
    return render(
        request,
        "delivery/choose.html",
        {
            "agreed": agreed,
            "filter": directory,
            "page": page,
            "rows": rows,
            "declined": declined,
            "choose_by": choose.due_on(agreed.agreed_on),
            "choose_within": choose.period,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_profile(request, pk, provider_pk):
    """A provider's profile and ratings, with the form to send it a request."""
    agreed = get_agreed_for_organisation_admin(request.user, pk)
    if agreed.status != AgreedStatus.AGREED:
        return _back_to_package(request, agreed, "A provider has already been chosen.")
    provider = choosable_providers(agreed, timezone.localdate()).filter(pk=provider_pk).first()
    if provider is None:
        # Not approved for this package, lapsed, linked to the organisation, or full.
        raise Http404("This provider cannot be chosen for this package.")
    form = RequestForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            request_provider(
                agreed, provider=provider, message=form.cleaned_data["message"], by=request.user
            )
        except AllowanceError as exc:
            form.add_error(None, exc.reason)
        else:
            return redirect("delivery:request_sent", pk=agreed.pk)
    return render(
        request,
        "delivery/provider_profile.html",
        {
            "agreed": agreed,
            "provider": provider,
            "rating_words": rating_in_words(provider.rating_average, provider.rating_count),
            "ratings": ratings_for(provider),
            "form": form,
        },
    )


@login_required
@require_POST
def withdraw(request, pk):
    agreed = get_agreed_for_organisation_admin(request.user, pk)
    pending = ProviderRequest.objects.filter(
        agreed_package=agreed, status=RequestStatus.PENDING
    ).first()
    if pending is None:
        return _back_to_package(request, agreed, "There is no request waiting for a reply.")
    try:
        withdraw_request(pending, by=request.user)
    except AllowanceError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(
            request, f"Your request to {pending.provider.name} has been withdrawn. Choose again."
        )
    return redirect("delivery:package", pk=agreed.pk)


def _after_delivery(request, pk, *, form_class, template, act, done):
    agreed = get_agreed_for_organisation_admin(request.user, pk)
    if agreed.status != AgreedStatus.DELIVERED:
        return _back_to_package(
            request,
            agreed,
            f"This package is {agreed.get_status_display().lower()}: there is no delivery to "
            "confirm or dispute now.",
        )
    form = form_class(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            act(agreed, form.cleaned_data)
        except AllowanceError as exc:
            form.add_error(None, exc.reason)
        else:
            return done(agreed)
    return render(
        request, template, {"agreed": agreed, "journey": journey_for(agreed), "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request, pk):
    """Confirm the provider delivered the package, and rate it."""
    return _after_delivery(
        request,
        pk,
        form_class=ConfirmForm,
        template="delivery/confirm.html",
        act=lambda agreed, data: confirm_delivery(
            agreed, by=request.user, score=data["score"], comment=data["comment"]
        ),
        done=lambda agreed: redirect("delivery:confirmed", pk=agreed.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def dispute(request, pk):
    """Tell the council the package was not delivered as agreed."""
    return _after_delivery(
        request,
        pk,
        form_class=DisputeForm,
        template="delivery/dispute.html",
        act=lambda agreed, data: dispute_delivery(agreed, by=request.user, reason=data["reason"]),
        done=lambda agreed: _dispute_sent(request, agreed),
    )


def _dispute_sent(request, agreed):
    messages.success(
        request, "You have told the council. An officer will look at it and contact you."
    )
    return redirect("delivery:package", pk=agreed.pk)


# ---------------------------------------------------------------- confirmations


@login_required
@require_GET
def request_sent(request, pk):
    """After sending a request: when the provider must answer. Once it has answered (or the
    request was withdrawn), the package's page says what happened instead."""
    agreed = get_agreed_for_organisation_admin(request.user, pk)
    pending = (
        ProviderRequest.objects.filter(agreed_package=agreed, status=RequestStatus.PENDING)
        .select_related("provider")
        .first()
    )
    if pending is None:
        return redirect("delivery:package", pk=agreed.pk)
    pending.agreed_package = agreed
    next_steps = confirmations.request_sent(
        pending, deadline(PROVIDER_RESPOND), timezone.localdate()
    )
    return render(request, CONFIRMATION, next_steps)


@login_required
@require_GET
def confirmed(request, pk):
    """After confirming delivery and rating: the provider claims and an officer decides. Once
    it has claimed (or where an officer confirmed it, with no rating), the package's page."""
    agreed = get_agreed_for_organisation_admin(request.user, pk)
    accepted = (
        ProviderRequest.objects.filter(agreed_package=agreed, status=RequestStatus.ACCEPTED)
        .select_related("provider", "rating")
        .first()
    )
    if agreed.status != AgreedStatus.CONFIRMED or accepted is None or not rating_of(accepted):
        return redirect("delivery:package", pk=agreed.pk)
    accepted.agreed_package = agreed
    next_steps = confirmations.delivery_confirmed(accepted, deadline(OFFICER_REVIEW))
    return render(request, CONFIRMATION, next_steps)
