"""The provider's applications to deliver packages: start, answer, check and send."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import history_for
from packages.models import Package

from ..forms import PackageApplicationForm
from ..permissions import get_own_application, get_own_provider
from ..selectors import essential_failures
from ..services import (
    LONG_ANSWERS,
    ProviderError,
    application_problems,
    save_package_application,
    start_package_application,
    submit_package_application,
)
from .posted import posted_data


@login_required
@require_POST
def application_start(request, package_pk):
    provider = get_own_provider(request.user)
    package = get_object_or_404(Package.objects.active(), pk=package_pk)
    try:
        application = start_package_application(provider=provider, package=package, by=request.user)
    except ProviderError as exc:
        messages.error(request, exc.reason)
        return redirect("providers:home")
    if application.is_editable:
        return redirect("providers:application_edit", pk=application.pk)
    return redirect("providers:application_detail", pk=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    application = get_own_application(request.user, pk)
    if not application.is_editable:
        messages.info(request, "This application cannot be changed now.")
        return redirect("providers:application_detail", pk=application.pk)
    initial = {name: getattr(application, name) for name in LONG_ANSWERS}
    form = PackageApplicationForm(posted_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_package_application(
                application=application, by=request.user, data=form.cleaned_data
            )
        except ProviderError as exc:
            form.add_error(None, exc.reason)
        else:
            return redirect("providers:application_detail", pk=application.pk)
    return render(
        request,
        "providers/application_form.html",
        {"form": form, "application": application, "package": application.package},
    )


@login_required
@require_http_methods(["GET"])
def application_detail(request, pk):
    """The application's answers and status; for a draft, the 'check your answers' page."""
    application = get_own_application(request.user, pk)
    problems = []
    if application.is_editable:
        provider = application.provider
        if not provider.has_joined_register:
            problems.append("Apply to join the register first, from your provider home page")
        problems += [f.message for f in essential_failures(provider, timezone.localdate())]
        problems += application_problems(application)
    return render(
        request,
        "providers/application_detail.html",
        {
            "application": application,
            "package": application.package,
            "answers": [
                (label, getattr(application, name))
                for name, label in PackageApplicationForm.WHAT.items()
            ],
            "problems": problems,
            "can_send": application.is_editable and not problems,
            "history": history_for(application)[:20],
        },
    )


@login_required
@require_POST
def application_submit(request, pk):
    application = get_own_application(request.user, pk)
    try:
        submit_package_application(application=application, by=request.user)
    except ProviderError as exc:
        # The detail page lists what to fix, so one sentence here is enough.
        messages.error(request, exc.reason)
        return redirect("providers:application_detail", pk=application.pk)
    messages.success(request, f"Your application for {application.package.name} has been sent")
    return redirect("providers:home")
