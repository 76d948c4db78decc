"""Managers: the eligibility criteria, drafted and published as versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from organisations.permissions import require_manager

from ..criteria_services import (
    CriteriaError,
    draft_criteria_version,
    publish_criteria_version,
    update_criterion,
)
from ..forms import CriterionForm
from ..models import CriteriaVersion, Criterion
from .posted import posted_data


@login_required
@require_http_methods(["GET"])
def criteria_versions(request):
    require_manager(request.user)
    versions = list(CriteriaVersion.objects.prefetch_related("criteria").order_by("-number")[:10])
    draft = next((v for v in versions if not v.is_published), None)
    published = next((v for v in versions if v.is_published), None)
    return render(
        request,
        "diagnostics/criteria_versions.html",
        {"draft": draft, "published": published, "versions": versions},
    )


@login_required
@require_POST
def criteria_draft(request):
    require_manager(request.user)
    draft = draft_criteria_version(by=request.user)
    messages.success(request, f"Version {draft.number} is a draft: change it, then publish it")
    return redirect("diagnostics:criteria_versions")


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request, pk):
    require_manager(request.user)
    criterion = get_object_or_404(Criterion.objects.select_related("version"), pk=pk)
    form = CriterionForm(posted_data(request), instance=criterion)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in CriterionForm.Meta.fields}
        try:
            update_criterion(criterion=criterion, by=request.user, data=data)
        except CriteriaError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, f"{data['title']} has been changed")
            return redirect("diagnostics:criteria_versions")
    return render(
        request, "diagnostics/criterion_form.html", {"form": form, "criterion": criterion}
    )


@login_required
@require_POST
def criteria_publish(request, pk):
    require_manager(request.user)
    version = get_object_or_404(CriteriaVersion, pk=pk)
    try:
        publish_criteria_version(version=version, by=request.user)
    except CriteriaError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, f"Version {version.number} is published")
    return redirect("diagnostics:criteria_versions")
