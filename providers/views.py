from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from organisations.permissions import membership_for

from .forms import ProviderForm
from .permissions import get_own_provider, provider_membership_for
from .services import ProviderError, register_provider


@login_required
@require_http_methods(["GET"])
def provider_home(request):
    provider = get_own_provider(request.user)
    colleagues = provider.memberships.select_related("user")
    return render(
        request, "providers/provider_home.html", {"provider": provider, "colleagues": colleagues}
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
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = register_provider(user=request.user, data=form.cleaned_data)
        except ProviderError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, f"{provider.name} is registered as a provider.")
            return redirect("providers:home")
    return render(request, "providers/provider_form.html", {"form": form})
