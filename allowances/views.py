"""Agreed packages and allowances: the organisation's view and the officer's agree flow.

Each view reads top to bottom: authorise and fetch, validate, change, redirect.
The manager's budget, caps and overrides pages are in `manager_views`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import history_for
from diagnostics.rules import long_date
from diagnostics.selectors import eligibility_on
from notifications.deadlines import CHOOSE_PROVIDER, deadline
from organisations.permissions import get_own_organisation
from packages.forms import submitted
from packages.models import Package
from packages.money import format_money

from .forms import CancelForm, ChoosePackageForm, ConfirmAgreementForm
from .models import AgreedPackage
from .permissions import (
    can_agree,
    can_cancel,
    can_choose_provider,
    can_override,
    get_agreed_package_for_user,
    get_agreed_package_to_change,
    get_organisation_for_staff,
)
from .selectors import preview_agreement, recommendations_for, with_choose_by
from .services import (
    AgreementRefused,
    AllowanceError,
    agree_package,
    allowance_summary,
    cancel_agreed_package,
)


def _agreed_list(organisation):
    # One query: each row's package is joined, never fetched per row.
    return (
        AgreedPackage.objects.filter(organisation=organisation)
        .select_related("package")
        .order_by("-agreed_on", "-id")
    )


@login_required
@require_GET
def organisation_packages(request):
    """The organisation's own packages and allowance, in plain words."""
    organisation, membership = get_own_organisation(request.user)
    return render(
        request,
        "allowances/organisation_packages.html",
        {
            "organisation": organisation,
            "summary": allowance_summary(organisation),
            "agreed_packages": with_choose_by(_agreed_list(organisation)),
        },
    )


@login_required
@require_GET
def officer_packages(request, pk):
    """The officer's view of an organisation's allowance, with the way to agree more."""
    organisation = get_organisation_for_staff(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "allowances/officer_packages.html",
        {
            "organisation": organisation,
            "summary": allowance_summary(organisation, today),
            "eligibility": eligibility_on(organisation, today),
            "agreed_packages": _agreed_list(organisation),
            "can_agree": can_agree(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agree_choose(request, pk):
    """Step 1: choose the package; the diagnostic's recommendations come first."""
    organisation = get_organisation_for_staff(request.user, pk)
    packages = list(Package.objects.active().order_by("position", "name"))
    form = ChoosePackageForm(
        submitted(request), packages=packages, recommended=recommendations_for(organisation)
    )
    if request.method == "POST" and form.is_valid():
        return redirect(
            "allowances:agree_confirm",
            pk=organisation.pk,
            package_pk=form.cleaned_data["package"].pk,
        )
    return render(
        request,
        "allowances/agree_choose.html",
        {"organisation": organisation, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agree_confirm(request, pk, package_pk):
    """Step 2: check your answers – the allowance and the strand – then agree."""
    organisation = get_organisation_for_staff(request.user, pk)
    package = get_object_or_404(Package, pk=package_pk)
    today = timezone.localdate()
    preview = preview_agreement(organisation, package, today)
    offer_override = can_override(request.user) and preview.needs_override
    form = ConfirmAgreementForm(submitted(request), offer_override=offer_override)
    if request.method == "POST" and form.is_valid():
        try:
            agreed = agree_package(
                organisation=organisation,
                package=package,
                agreed_by=request.user,
                on=today,
                override_reason=form.cleaned_data.get("override_reason"),
            )
        except AgreementRefused as exc:
            form.add_error(None, exc.reason)
        else:
            return redirect("allowances:agreed_confirmation", pk=agreed.pk)
    return render(
        request,
        "allowances/agree_confirm.html",
        {
            "organisation": organisation,
            "package": package,
            "preview": preview,
            "form": form,
            "offer_override": offer_override,
            # An officer cannot get past a refusal; a manager can past caps and budget only.
            "can_submit": not preview.blocked and (offer_override or not preview.needs_override),
        },
    )


@login_required
@require_GET
def agreed_confirmation(request, pk):
    """Where agreeing a package ends: what the organisation does next, and by when."""
    agreed = get_agreed_package_to_change(request.user, pk)
    choose_by = deadline(CHOOSE_PROVIDER).due_on(agreed.agreed_on)
    organisation = agreed.organisation
    return render(
        request,
        "includes/confirmation.html",
        {
            "title": "Package agreed",
            "reference": f"{agreed.package.name} for {organisation.name}",
            "reference_label": "You agreed",
            "next_steps": [
                f"We have emailed {organisation.contact_email}. "
                f"{format_money(agreed.value)} is committed from the budget.",
                f"{organisation.name}'s administrators choose a provider by "
                f"{long_date(choose_by)}. They are reminded before then.",
            ],
            "links": [
                ("See the agreed package", reverse("allowances:agreed_package_detail", args=[pk])),
                (
                    f"{organisation.name}'s packages",
                    reverse("allowances:officer_packages", args=[organisation.pk]),
                ),
                ("Your home page", reverse("home")),
            ],
        },
    )


@login_required
@require_GET
def agreed_package_detail(request, pk):
    agreed = get_agreed_package_for_user(request.user, pk)
    is_staff = can_agree(request.user)
    return render(
        request,
        "allowances/agreed_package_detail.html",
        {
            "agreed": agreed,
            "is_staff": is_staff,
            "can_cancel": can_cancel(request.user, agreed),
            "can_choose_provider": can_choose_provider(request.user, agreed),
            "history": history_for(agreed)[:20] if is_staff else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreed_package_cancel(request, pk):
    agreed = get_agreed_package_to_change(request.user, pk)
    form = CancelForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            cancel_agreed_package(agreed, by=request.user, reason=form.cleaned_data["reason"])
        except AllowanceError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(
                request, f"{agreed.package.name} for {agreed.organisation.name} has been cancelled."
            )
            return redirect("allowances:agreed_package_detail", pk=agreed.pk)
    return render(
        request, "allowances/agreed_package_cancel.html", {"agreed": agreed, "form": form}
    )
