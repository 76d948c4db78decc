"""The provider's home, registering, its profile and its people."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from organisations.forms import InvitationForm
from organisations.permissions import membership_for
from organisations.views import invitation_accept_page, withdraw_and_go_back
from packages.models import Package

from ..essentials import EXCLUSION_GROUNDS
from ..forms import ProviderForm
from ..models import InsuranceKind, PolicyKind, ProviderInvitation, required_insurance
from ..permissions import get_own_invitation, get_own_provider, provider_membership_for
from ..rules import expiry_warning, insurance_lapsed
from ..selectors import essential_failures
from ..services import (
    ProviderError,
    accept_invitation,
    invite_colleague,
    register_provider,
    update_profile,
    withdraw_invitation,
)
from .posted import posted_data


def fix_url(slug: str) -> str:
    """The page where the provider fixes a failing essential."""
    if slug.startswith("insurance-"):
        return reverse("providers:insurance", args=[slug.removeprefix("insurance-")])
    if slug.startswith("policy-"):
        return reverse("providers:policy", args=[slug.removeprefix("policy-").replace("-", "_")])
    if slug.startswith("exclusion-"):
        return reverse("providers:exclusions")
    if slug == "conflicts-of-interest":
        return reverse("providers:conflicts")
    return reverse("providers:profile_edit")


def _certificate_rows(provider, certificates, today):
    """(kind, certificate or None, required?, warning) for each kind of insurance."""
    required = required_insurance(provider.employs_staff)
    by_kind = {c.kind: c for c in certificates}
    rows = []
    for kind in InsuranceKind:
        certificate = by_kind.get(kind.value)
        warning = expiry_warning(certificate.expires_on, today) if certificate else ""
        if kind.value in required or certificate:
            rows.append((kind, certificate, kind.value in required, warning))
    return rows


@login_required
@require_http_methods(["GET"])
def provider_home(request):
    provider = get_own_provider(request.user)
    today = timezone.localdate()
    certificates = list(provider.certificates.all())
    policies = {p.kind: p for p in provider.policies.all()}
    failures = essential_failures(provider, today)
    applications = list(
        provider.package_applications.select_related("package").order_by("package__position")
    )
    standing = {a.package_id for a in applications if a.status not in ("rejected", "removed")}
    expiries = {c.kind: c.expires_on for c in certificates}
    lapsed = insurance_lapsed(
        expiries=expiries, required=required_insurance(provider.employs_staff), on=today
    )
    return render(
        request,
        "providers/provider_home.html",
        {
            "provider": provider,
            "colleagues": provider.memberships.select_related("user"),
            "failures": [(f, fix_url(f.slug)) for f in failures],
            "certificate_rows": _certificate_rows(provider, certificates, today),
            "policy_rows": [(kind, policies.get(kind.value)) for kind in PolicyKind],
            "exclusions_answered": len(provider.exclusion_answers or {}) == len(EXCLUSION_GROUNDS),
            "applications": applications,
            "packages_to_apply": [
                p for p in Package.objects.active().order_by("position") if p.pk not in standing
            ],
            # Lapse matters once on the register; before, the essentials say what to fix.
            "lapsed": lapsed and provider.has_joined_register,
            "can_join": not failures and not provider.has_joined_register,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_register(request):
    if request.user.is_officer or membership_for(request.user) is not None:
        raise Http404(
            "Only people who are not council staff or organisation members register providers."
        )
    if provider_membership_for(request.user) is not None:
        messages.info(request, "You already act for a provider.")
        return redirect("providers:home")
    form = ProviderForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        data, areas, languages = form.profile_data()
        try:
            provider = register_provider(
                user=request.user, data=data, areas=areas, languages=languages
            )
        except ProviderError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, f"{provider.name} is registered as a provider.")
            return redirect("providers:home")
    return render(request, "providers/provider_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    provider = get_own_provider(request.user)
    form = ProviderForm(posted_data(request), instance=provider)
    if request.method == "POST" and form.is_valid():
        data, areas, languages = form.profile_data()
        try:
            update_profile(
                provider=provider, by=request.user, data=data, areas=areas, languages=languages
            )
        except ProviderError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, "Your profile has been saved.")
            return redirect("providers:home")
    return render(request, "providers/provider_form.html", {"form": form, "creating": False})


@login_required
@require_http_methods(["GET", "POST"])
def people(request):
    provider = get_own_provider(request.user)
    form = InvitationForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invite_colleague(
                provider=provider, email=form.cleaned_data["email"], by=request.user
            )
        except ProviderError as exc:
            form.add_error("email", exc.reason)
        else:
            messages.success(request, f"We have sent an invitation to {invitation.email}.")
            return redirect("providers:people")
    return render(
        request,
        "providers/people.html",
        {
            "provider": provider,
            "members": provider.memberships.select_related("user").order_by("joined_at"),
            "invitations": provider.invitations.order_by("-created_at"),
            "form": form,
            # Everyone acting for a provider may invite: providers have no admin role.
            "can_invite": True,
        },
    )


@login_required
@require_POST
def invitation_withdraw(request, pk):
    invitation = get_own_invitation(request.user, pk)
    return withdraw_and_go_back(
        request,
        invitation,
        withdraw=withdraw_invitation,
        error=ProviderError,
        people_page="providers:people",
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    # The token is the secret: anyone holding it sees whose invitation it is,
    # but only the invited address can accept (checked in the service).
    invitation = get_object_or_404(
        ProviderInvitation.objects.select_related("provider", "invited_by"), token=token
    )
    return invitation_accept_page(
        request,
        invitation,
        accept=accept_invitation,
        error=ProviderError,
        joined=f"You now act for {invitation.provider.name}.",
        home="providers:home",
        template="providers/invitation_accept.html",
    )
