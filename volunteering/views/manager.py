"""Managers grant the broker role to a provider's people, and revoke it (other staff 403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organisations.listing import page_of
from organisations.models import User
from packages.forms import show_refusal, submitted

from ..forms import GrantBrokerForm
from ..models import Broker
from ..permissions import get_grant_for_manager, require_manager
from ..services import VolunteeringError, grant_broker, revoke_broker


@login_required
@require_http_methods(["GET", "POST"])
def brokers(request):
    """The live brokers (a page at a time, with person and provider), and the form to grant
    the role to a person who acts for a provider."""
    require_manager(request.user)
    form = GrantBrokerForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        person = (
            User.objects.select_related("provider_membership__provider")
            .filter(email__iexact=email)
            .first()
        )
        acts_for = getattr(person, "provider_membership", None) if person else None
        if acts_for is None:
            form.add_error(
                "email", _("There is nobody acting for a provider with this email address")
            )
        else:
            try:
                grant_broker(by=request.user, user=person, provider=acts_for.provider)
            except VolunteeringError as exc:
                show_refusal(form, exc)
            else:
                messages.success(request, _("%(person)s is now a broker.") % {"person": person})
                return redirect("volunteering:brokers")
    grants = Broker.objects.live().select_related("user", "provider").order_by("user__email")
    return render(
        request, "volunteering/brokers.html", {"form": form, "page": page_of(request, grants)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def broker_revoke(request, pk):
    grant = get_grant_for_manager(request.user, pk)
    error = ""
    if request.method == "POST":
        try:
            revoke_broker(by=request.user, user=grant.user)
        except VolunteeringError as exc:
            error = exc.reason
        else:
            messages.success(
                request, _("%(person)s is no longer a broker.") % {"person": grant.user}
            )
            return redirect("volunteering:brokers")
    return render(request, "volunteering/broker_revoke.html", {"grant": grant, "error": error})
