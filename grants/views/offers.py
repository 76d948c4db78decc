"""Organisations: the offer of a representation grant, its terms, accepting or declining."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from packages.forms import submitted

from ..application_forms import ReasonForm
from ..assessment_forms import AcceptOfferForm
from ..assessment_models import CommunityDecision, DecisionOutcome
from ..assessment_services import AssessmentError
from ..offer_services import accept_offer, decline_offer
from ..permissions import get_application_for_change
from ..template import GRANT_CONDITIONS, MONITORING_REQUIREMENTS


def _offer_for(request, pk):
    """The application's offer waiting for an answer, for the organisation's administrators."""
    application = get_application_for_change(request.user, pk)
    decision = get_object_or_404(
        CommunityDecision.objects.select_related("round_community__round"),
        application=application,
        outcome=DecisionOutcome.OFFERED,
    )
    return application, decision


@login_required
@require_http_methods(["GET", "POST"])
def offer(request, pk):
    """The grant agreement's terms and instalments, then the declaration that accepts it."""
    application, decision = _offer_for(request, pk)
    form = AcceptOfferForm(submitted(request), initial={"full_name": request.user.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            accept_offer(
                decision=decision, by=request.user, declaration_name=form.cleaned_data["full_name"]
            )
        except AssessmentError as exc:
            form.add_error(
                "full_name" if "full_name" in exc.problems else None,
                exc.problems.get("full_name", exc.reason),
            )
        else:
            messages.success(
                request,
                f"You have accepted the grant to represent the {application.community_name}. "
                "The council has committed it in its budget.",
            )
            return redirect("grants:application", application.pk)
    grant_round = decision.round_community.round
    return render(
        request,
        "grants/offer.html",
        {
            "application": application,
            "decision": decision,
            "round": grant_round,
            "instalments": grant_round.instalments(),
            "conditions": GRANT_CONDITIONS,
            "monitoring": MONITORING_REQUIREMENTS,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_decline(request, pk):
    application, decision = _offer_for(request, pk)
    form = ReasonForm(
        submitted(request),
        label="Why are you declining the offer?",
        required_message="Enter why you are declining the offer",
    )
    if request.method == "POST" and form.is_valid():
        try:
            decline_offer(decision=decision, by=request.user, reason=form.cleaned_data["reason"])
        except AssessmentError as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, "You have declined the offer. The council has been told.")
            return redirect("grants:application", application.pk)
    return render(request, "grants/offer_decline.html", {"application": application, "form": form})
