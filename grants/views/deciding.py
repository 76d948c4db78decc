"""Managers: moderating an application's scores, the ranking per community, the decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from packages.forms import submitted

from .. import voice_selectors
from ..assessment_checks import AssessmentError
from ..assessment_forms import NO_AWARD, OFFER, DecisionForm, ModerationForm
from ..assessment_selectors import (
    assessments_of,
    conflicted_communities,
    live_decision,
    moderation_sheet,
    proposed_waiting,
    round_rankings,
)
from ..assessment_services import moderate
from ..decision_services import make_no_award, offer_award
from ..permissions import (
    get_application_for_moderator,
    get_round_community_for_manager,
    get_round_for_manager,
)
from ..proposal_services import recognise_proposed_community


@login_required
@require_http_methods(["GET", "POST"])
def moderate_application(request, pk):
    """Every assessor's sent scores side by side, spreads of 2 or more highlighted, and the
    moderated score and reason per criterion (prefilled with the assessors' rounded mean)."""
    application = get_application_for_moderator(request.user, pk)
    rows = moderation_sheet(application)
    assessments = list(assessments_of(application))
    conflicted = any(a.has_conflict and a.assessor_id == request.user.pk for a in assessments)
    # A manager on the panel sees the others' scores only once their own are sent.
    unsent = any(
        a.assessor_id == request.user.pk and not a.has_conflict and not a.is_submitted
        for a in assessments
    )
    initial = {}
    for row in rows:
        mark = row.moderated.mark if row.moderated else row.suggested
        initial[f"mark_{row.criterion.pk}"] = "" if mark is None else str(mark)
        initial[f"reason_{row.criterion.pk}"] = row.moderated.reason if row.moderated else ""
    form = ModerationForm(
        submitted(request),
        initial=initial,
        criteria=[r.criterion for r in rows],
        scale=list(application.round.scale.all()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            moderate(application=application, values=form.values(), by=request.user)
        except AssessmentError as exc:
            form.add_error(None, exc.reason)
            form.add_problems(exc.problems)
        else:
            messages.success(request, f"Moderated scores saved for {application.reference}.")
            return redirect("grants:round_ranking", application.round_id)
    decision = (
        live_decision(application.round_community_id) if application.round_community_id else None
    )
    form.attach_to(rows)
    return render(
        request,
        "grants/moderate.html",
        {
            "application": application,
            "rows": rows,
            "assessments": assessments,
            "sent": [a for a in assessments if a.is_submitted],
            "conflicts": [a for a in assessments if a.has_conflict],
            "conflicted": conflicted,
            "unsent": unsent,
            "form": form,
            "decision": decision,
            # The community's backing beside its criterion; not for a conflicted moderator.
            "backing": None
            if conflicted or unsent
            else voice_selectors.backing_for_panel(application, [r.criterion for r in rows]),
        },
    )


@login_required
@require_GET
def round_ranking(request, pk):
    """Each community's applications ranked by weighted moderated score, and its decision."""
    grant_round = get_round_for_manager(request.user, pk)
    rankings = round_rankings(grant_round)
    backing = voice_selectors.backing_consultation_ids(grant_round)
    for ranking in rankings:
        # The link to the moderator's page of the community's backing, if it was asked.
        ranking.backing_id = backing.get(ranking.round_community.pk)
    return render(
        request,
        "grants/round_ranking.html",
        {
            "round": grant_round,
            "rankings": rankings,
            "conflicted": conflicted_communities(grant_round, request.user),
            "proposed": list(proposed_waiting(grant_round)[:50]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk):
    """Offer the community's award to its best-ranked application, or make no award."""
    round_community = get_round_community_for_manager(request.user, pk)
    ranking = next(
        r
        for r in round_rankings(round_community.round)
        if r.round_community.pk == round_community.pk
    )
    if ranking.decision is not None:
        messages.info(request, "The decision for this community has already been made.")
        return redirect("grants:round_ranking", round_community.round_id)
    if round_community.pk in conflicted_communities(round_community.round, request.user):
        messages.info(
            request,
            f"You declared a conflict of interest with an application for the "
            f"{round_community.community.name}, so another manager must decide for it.",
        )
        return redirect("grants:round_ranking", round_community.round_id)
    form = DecisionForm(submitted(request), best=ranking.best)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["choice"] == OFFER:
                offer_award(
                    round_community=round_community,
                    application=ranking.best,
                    reasons=form.cleaned_data["reasons"],
                    by=request.user,
                )
            elif form.cleaned_data["choice"] == NO_AWARD:
                make_no_award(
                    round_community=round_community,
                    reasons=form.cleaned_data["reasons"],
                    by=request.user,
                )
        except AssessmentError as exc:
            form.add_error(
                "reasons" if "reasons" in exc.problems else "choice",
                exc.problems.get("reasons", exc.reason),
            )
        else:
            messages.success(
                request, f"Decision recorded for the {round_community.community.name}."
            )
            return redirect("grants:round_ranking", round_community.round_id)
    return render(
        request,
        "grants/decide.html",
        {"round_community": round_community, "ranking": ranking, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def recognise_community(request, pk):
    """Add the community a sent application proposes to its round, so it can be ranked."""
    application = get_application_for_moderator(request.user, pk)
    if application.round_community_id is not None:
        messages.info(request, f"The {application.community_name} is one of the round's already.")
        return redirect("grants:round_ranking", application.round_id)
    problem = ""
    if request.method == "POST":
        try:
            added = recognise_proposed_community(application=application, by=request.user)
        except AssessmentError as exc:
            problem = exc.reason
        else:
            messages.success(
                request,
                f"The {added.community.name} has been added to the round: its applications are "
                f"ranked with the others.",
            )
            return redirect("grants:round_ranking", application.round_id)
    return render(
        request,
        "grants/recognise_community.html",
        {"application": application, "problem": problem},
    )
