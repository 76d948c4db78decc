"""Override requests: the officer asks, a manager decides, both see where it stands.

Thin views over `override_requests`: authorise and fetch, validate, change,
then a confirmation page.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from organisations.listing import page_of
from organisations.permissions import require_staff
from packages.forms import submitted
from packages.models import Package

from .forms import OverrideDecisionForm, OverrideRequestForm
from .models import OverrideRequest, OverrideRequestStatus
from .override_requests import OverrideRequestRefused, ask_for_override, decide_override
from .permissions import can_override, get_organisation_for_staff
from .selectors import preview_agreement


def get_override_request_for_staff(user, pk) -> OverrideRequest:
    """Managers see every request; an officer only their own; everyone else 404."""
    require_staff(user)
    requests = OverrideRequest.objects.select_related(
        "organisation", "package", "requested_by", "decided_by", "agreed_package"
    )
    if not user.is_manager:
        requests = requests.filter(requested_by=user)
    return get_object_or_404(requests, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def override_request_new(request, pk, package_pk):
    """From a refused agree-check page: the officer's reason for asking a manager."""
    organisation = get_organisation_for_staff(request.user, pk)
    package = get_object_or_404(Package, pk=package_pk)
    preview = preview_agreement(organisation, package, timezone.localdate())
    form = OverrideRequestForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            made = ask_for_override(
                organisation=organisation,
                package=package,
                by=request.user,
                reason=form.cleaned_data["reason"],
                on=timezone.localdate(),
            )
        except OverrideRequestRefused as exc:
            form.add_error(None, exc.reason)
        else:
            return redirect("allowances:override_request_sent", pk=made.pk)
    return render(
        request,
        "allowances/override_request_form.html",
        {"organisation": organisation, "package": package, "preview": preview, "form": form},
    )


@login_required
@require_GET
def override_request_sent(request, pk):
    made = get_override_request_for_staff(request.user, pk)
    return render(
        request,
        "includes/confirmation.html",
        {
            "title": "Override requested",
            "reference": made.reference,
            "next_steps": [
                "The council's managers have been emailed. A manager decides, with their "
                "reason, and you will get an email when they do.",
                f"If a manager agrees, {made.package.name} is agreed for "
                f"{made.organisation.name} and they are told, as for any agreement.",
            ],
            "links": [
                ("Your override requests", reverse("allowances:override_requests")),
                (
                    f"{made.organisation.name}'s packages",
                    reverse("allowances:officer_packages", args=[made.organisation_id]),
                ),
                ("Your home page", reverse("home")),
            ],
        },
    )


@login_required
@require_GET
def override_requests(request):
    """Managers: every request, waiting first, oldest first. Officers: their own."""
    require_staff(request.user)
    requests = OverrideRequest.objects.select_related(
        "organisation", "package", "requested_by", "decided_by"
    )
    if not request.user.is_manager:
        requests = requests.filter(requested_by=request.user)
    waiting = requests.filter(status=OverrideRequestStatus.WAITING).order_by("requested_at", "pk")
    decided = requests.exclude(status=OverrideRequestStatus.WAITING).order_by("-decided_at", "-pk")
    return render(
        request,
        "allowances/override_requests.html",
        {"waiting": page_of(request, waiting), "decided": list(decided[:10])},
    )


@login_required
@require_http_methods(["GET", "POST"])
def override_request(request, pk):
    """The request, what refused the officer then and what agreeing would meet now;
    a manager decides here."""
    made = get_override_request_for_staff(request.user, pk)
    may_decide = can_override(request.user) and made.status == OverrideRequestStatus.WAITING
    if request.method == "POST" and not may_decide:
        raise Http404("Only a manager can decide a waiting override request.")
    form = OverrideDecisionForm(submitted(request)) if may_decide else None
    if request.method == "POST" and form.is_valid():
        try:
            decide_override(
                made.pk,
                by=request.user,
                agree=form.cleaned_data["decision"] == "agree",
                reason=form.cleaned_data["reason"],
            )
        except OverrideRequestRefused as exc:
            form.add_error(None, exc.reason)
        else:
            return redirect("allowances:override_request_decided", pk=made.pk)
    preview = (
        preview_agreement(made.organisation, made.package, timezone.localdate())
        if made.status == OverrideRequestStatus.WAITING
        else None
    )
    return render(
        request,
        "allowances/override_request.html",
        {"made": made, "preview": preview, "form": form},
    )


@login_required
@require_GET
def override_request_decided(request, pk):
    made = get_override_request_for_staff(request.user, pk)
    if made.status == OverrideRequestStatus.WAITING:
        return redirect("allowances:override_request", pk=made.pk)
    agreed = made.status == OverrideRequestStatus.AGREED
    links = [("Override requests", reverse("allowances:override_requests"))]
    if agreed:
        links.insert(
            0,
            (
                "The agreed package",
                reverse("allowances:agreed_package_detail", args=[made.agreed_package_id]),
            ),
        )
    return render(
        request,
        "includes/confirmation.html",
        {
            "title": "Package agreed with an override" if agreed else "Override refused",
            "reference": made.reference,
            "next_steps": [
                f"{made.requested_by} has been emailed your decision and your reason.",
                f"{made.organisation.name} has been told that {made.package.name} is agreed, "
                "and can now choose a provider. The agreement appears on the overrides report."
                if agreed
                else f"{made.organisation.name} has been told that {made.package.name} cannot "
                "be agreed now, with your reason.",
            ],
            "links": [*links, ("Your home page", reverse("home"))],
        },
    )
