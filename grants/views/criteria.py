"""Managers: a draft round's criteria, added, changed and removed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from packages.forms import submitted

from .. import services
from ..criterion_forms import CriterionForm, criterion_initial
from ..permissions import get_criterion_for_manager, get_round_for_manager


def _not_draft(request, grant_round):
    messages.error(
        request,
        f"{grant_round.name} is {grant_round.get_status_display().lower()}, so its criteria "
        "cannot be changed.",
    )
    return redirect("grants:round_detail", grant_round.pk)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_add(request, pk):
    grant_round = get_round_for_manager(request.user, pk)
    if not grant_round.is_draft:
        return _not_draft(request, grant_round)
    form = CriterionForm(
        submitted(request), initial={"section": "eligibility", "kind": "scored", "word_limit": 500}
    )
    if request.method == "POST" and form.is_valid():
        try:
            criterion = services.add_criterion(
                grant_round=grant_round, by=request.user, data=form.cleaned_data
            )
        except services.RoundError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, f"{criterion.title} has been added")
            return redirect("grants:round_detail", grant_round.pk)
    return render(
        request, "grants/criterion_form.html", {"form": form, "round": grant_round, "adding": True}
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request, pk):
    criterion = get_criterion_for_manager(request.user, pk)
    grant_round = criterion.round
    if not grant_round.is_draft:
        return _not_draft(request, grant_round)
    form = CriterionForm(
        submitted(request),
        initial=criterion_initial(criterion),
        automatic_check=criterion.automatic_check,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_criterion(criterion=criterion, by=request.user, data=form.cleaned_data)
        except services.RoundError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, f"{form.cleaned_data['title']} has been changed")
            return redirect("grants:round_detail", grant_round.pk)
    return render(
        request,
        "grants/criterion_form.html",
        {"form": form, "round": grant_round, "criterion": criterion, "adding": False},
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_remove(request, pk):
    """The GET asks to confirm; the POST removes it."""
    criterion = get_criterion_for_manager(request.user, pk)
    grant_round = criterion.round
    if not grant_round.is_draft:
        return _not_draft(request, grant_round)
    if request.method == "POST":
        try:
            services.remove_criterion(criterion=criterion, by=request.user)
        except services.RoundError as exc:
            messages.error(request, exc.reason)
        else:
            messages.success(request, f"{criterion.title} has been removed")
        return redirect("grants:round_detail", grant_round.pk)
    return render(
        request, "grants/criterion_remove.html", {"criterion": criterion, "round": grant_round}
    )
